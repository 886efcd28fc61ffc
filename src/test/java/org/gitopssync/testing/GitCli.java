package org.gitopssync.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real {@code git} command line, as an operator would use it on the repository the agent follows. */
public final class GitCli {

    private GitCli() {
    }

    public static String run(Path dir, String... args) {
        return run(dir, Map.of(), args);
    }

    /** Runs git with extra environment variables (e.g. {@code GNUPGHOME} for a test keyring). */
    public static String run(Path dir, Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=Test Operator", "-c",
                "user.email=operator@example.test", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        return Programs.text(builder, "git " + String.join(" ", args) + " in " + dir).trim();
    }
}
