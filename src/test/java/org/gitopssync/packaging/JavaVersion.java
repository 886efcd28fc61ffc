package org.gitopssync.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@code java <flags> -version}: whether the JVM starts with these flags, and what it said. */
record JavaVersion(int exitCode, String output) {

    static JavaVersion with(List<String> flags, String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(flags);
        command.addAll(List.of(extra));
        command.add("-version");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new JavaVersion(p.waitFor(), out);
    }
}
