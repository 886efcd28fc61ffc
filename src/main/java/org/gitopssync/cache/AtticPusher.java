package org.gitopssync.cache;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gitopssync.nix.Command;

/**
 * {@code attic push <server>:<cache> <paths>}. Instead of {@code attic login}, which takes the
 * token as an argument, the agent writes the configuration login would write into a private
 * directory and points {@code XDG_CONFIG_HOME} there for this one command.
 */
final class AtticPusher implements CachePusher {

    static final String TOKEN = "ATTIC_TOKEN";

    private final CacheCredentials credentials;

    AtticPusher(CacheCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Command command(UploadJob job) {
        String destination = job.cache().destination();
        String server = destination.substring(0, destination.indexOf(':'));
        String token = credentials.token(job, TOKEN).reveal();
        String config = "default-server = " + tomlString(server) + "\n\n"
                + "[servers." + tomlString(server) + "]\n"
                + "endpoint = " + tomlString(job.cache().endpoint()) + "\n"
                + "token = " + tomlString(token) + "\n";
        job.scratch().writeSecret("attic-config/attic/config.toml", config.getBytes(StandardCharsets.UTF_8));
        Path configHome = job.scratch().dir().resolve("attic-config");
        List<String> argv = new ArrayList<>(List.of("attic", "push",
                "--jobs", Integer.toString(job.cache().maxConcurrentUploads()), destination));
        argv.addAll(job.pathStrings());
        return Command.of(argv).withEnvironment(Map.of("XDG_CONFIG_HOME", configHome.toString()))
                .withTimeout(job.cache().timeout()).loggingTo(job.logFile());
    }

    /** A TOML basic string. */
    static String tomlString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
