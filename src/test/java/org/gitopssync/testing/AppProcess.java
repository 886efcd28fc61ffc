package org.gitopssync.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The packaged program ({@code target/quarkus-app/}) run as a separate process, the way the launchers run it:
 * {@code daemon} in the Quarkus container ({@code quarkus-run.jar}), every other command from
 * {@code org.gitopssync.cli.Launch} on the class path of {@code bin/one-shot-classpath}.
 */
public final class AppProcess {

    /** How a finished run ended. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private AppProcess() {
    }

    public static Path jar() {
        Path jar = DemoFlakeRepo.projectRoot().resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after `mvnw package`");
        }
        return jar;
    }

    private static String oneShotClassPath;

    /** The command line the launchers run for {@code args}. */
    public static List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(args.length > 0 && args[0].equals("daemon") ? quarkusEntry() : oneShotEntry());
        argv.addAll(List.of(args));
        return argv;
    }

    /** The Quarkus entry point: it runs every command, the launchers use it for {@code daemon}. */
    public static List<String> quarkusEntry() {
        extractSqlite();
        return List.of("java", "-jar", jar().toString());
    }

    /** What bin/setup.sh does after a build: sqlite's native library extracted (bin/sqlite-native). */
    private static synchronized void extractSqlite() {
        jar();
        Path root = DemoFlakeRepo.projectRoot();
        if (Files.exists(root.resolve("target/quarkus-app/lib/native/libsqlitejdbc.so"))) {
            return;
        }
        appScript("bin/sqlite-native");
    }

    /** The entry point of every command but {@code daemon}: no Quarkus container. */
    public static List<String> oneShotEntry() {
        return List.of("java", "-cp", oneShotClassPath(), "org.gitopssync.cli.Launch");
    }

    /** The class path, with sqlite's native library extracted. */
    private static synchronized String oneShotClassPath() {
        String cp = oneShotClassPath;
        if (cp == null) {
            extractSqlite();
            cp = appScript("bin/one-shot-classpath");
            if (cp.isEmpty()) {
                throw new IllegalStateException("bin/one-shot-classpath printed nothing");
            }
            oneShotClassPath = cp;
        }
        return cp;
    }

    /** Runs one of the project's scripts on the built app directory; its output, its errors on ours. */
    private static String appScript(String script) {
        Path root = DemoFlakeRepo.projectRoot();
        return Programs.text(new ProcessBuilder("bash", root.resolve(script).toString(),
                root.resolve("target/quarkus-app").toString()).redirectError(ProcessBuilder.Redirect.INHERIT), script)
                .strip();
    }

    private static ProcessBuilder builder(Path workDir, Map<String, String> env, String... args) {
        return builder(workDir, env, argv(args));
    }

    private static ProcessBuilder builder(Path workDir, Map<String, String> env, List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile());
        pb.environment().remove("GITOPS_CONFIG");
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs to completion (at most two minutes) and returns exit code and output. */
    public static Result run(Path workDir, Map<String, String> env, String... args) {
        return run(workDir, env, argv(args), args);
    }

    /**
     * Runs any command in the Quarkus container, as the launchers run only {@code daemon}. sqlite-jdbc extracts its
     * library to a directory of the run's own: in /tmp its start-up sweep races other processes' copies and may log
     * an error when one disappears.
     */
    public static Result runInQuarkus(Path workDir, Map<String, String> env, String... args) {
        Path sqlite = workDir.resolve("sqlite-native");
        try {
            Files.createDirectories(sqlite);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> argv = new ArrayList<>(List.of("java", "-Dorg.sqlite.tmpdir=" + sqlite, "-jar", jar().toString()));
        argv.addAll(List.of(args));
        return run(workDir, env, argv, args);
    }

    private static Result run(Path workDir, Map<String, String> env, List<String> argv, String... args) {
        try {
            Path out = Files.createTempFile("gitops-out", ".txt");
            Path err = Files.createTempFile("gitops-err", ".txt");
            Process p = builder(workDir, env, argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("gitops-sync " + String.join(" ", args) + " did not finish");
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A long-running process (the daemon) whose stderr can be awaited line by line. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder all = new StringBuilder();
        private final Thread reader;

        private Running(Process process) {
            this(process, process.getErrorStream());
        }

        private Running(Process process, InputStream output) {
            this.process = process;
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (all) {
                            all.append(line).append('\n');
                        }
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            }, "app-stderr");
            t.setDaemon(true);
            t.start();
            reader = t;
        }

        /** Blocks until a stderr line contains {@code text}; fails after two minutes or if the process exits. */
        public String awaitLine(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null && line.contains(text)) {
                    return line;
                }
                if (line == null && !process.isAlive() && lines.isEmpty()) {
                    break;
                }
            }
            throw new AssertionError("no stderr line containing \"" + text + "\"; stderr so far:\n" + stderr());
        }

        public String stderr() {
            synchronized (all) {
                return all.toString();
            }
        }

        public Process process() {
            return process;
        }

        /** SIGTERM, as systemctl stop sends it; returns the exit code. */
        public int terminate() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("did not stop after SIGTERM");
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Starts a process whose stdout and stderr are awaited together (a command that reports on stdout). */
    public static Running startCombined(Path workDir, Map<String, String> env, String... args) {
        try {
            Process p = builder(workDir, env, args).redirectErrorStream(true).start();
            p.getOutputStream().close();
            return new Running(p, p.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (at most two minutes) for the process to exit and returns its exit code. */
    public static int exitCode(Running running) throws InterruptedException {
        if (!running.process().waitFor(2, TimeUnit.MINUTES)) {
            throw new AssertionError("did not exit; output so far:\n" + running.stderr());
        }
        return running.process().exitValue();
    }

    public static Running start(Path workDir, Map<String, String> env, String... args) {
        try {
            Process p = builder(workDir, env, args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            return new Running(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
