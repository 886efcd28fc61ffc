package org.gitopssync.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's host name without a DNS lookup (which can hang on a host with broken networking). */
final class MachineHostname {

    private MachineHostname() {
    }

    static String read() {
        for (Path p : new Path[] {Path.of("/proc/sys/kernel/hostname"), Path.of("/etc/hostname")}) {
            try {
                String name = Files.readString(p).trim();
                if (!name.isEmpty()) {
                    int dot = name.indexOf('.');
                    return dot > 0 ? name.substring(0, dot) : name;
                }
            } catch (IOException ignored) {
                // try the next source
            }
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env;
    }
}
