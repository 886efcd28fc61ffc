package org.gitopssync.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process p = builder.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed in " + dir + ":\n" + out);
            }
            return out.trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
