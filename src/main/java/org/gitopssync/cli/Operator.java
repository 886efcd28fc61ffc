package org.gitopssync.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Who runs a command, for the record: the login behind sudo if any, and the uid it runs as. */
final class Operator {

    private Operator() {
    }

    static String describe(Map<String, String> environment) {
        String name = first(environment, "SUDO_USER", "USER", "LOGNAME");
        if (name == null) {
            name = System.getProperty("user.name", "unknown");
        }
        String uid = uid();
        return uid == null ? name : name + " (uid " + uid + ")";
    }

    private static String first(Map<String, String> environment, String... names) {
        for (String n : names) {
            String v = environment.get(n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String uid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // a file system without unix attributes: the name alone says who acted
            return null;
        }
    }
}
