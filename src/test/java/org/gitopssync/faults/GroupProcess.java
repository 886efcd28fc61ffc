package org.gitopssync.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gitopssync.testing.AppProcess;
import org.gitopssync.testing.Processes;

/**
 * The packaged program started as the leader of its own process group (via {@code setsid}), so a test can
 * {@code kill -9} the whole group the way systemd kills a unit's processes, output going to files.
 */
final class GroupProcess {

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private GroupProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static GroupProcess start(Path workDir, Map<String, String> env, String... args) {
        try {
            List<String> argv = new ArrayList<>(List.of("setsid"));
            argv.addAll(AppProcess.argv(args));
            Path out = Files.createTempFile(workDir, "group-out", ".txt");
            Path err = Files.createTempFile(workDir, "group-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().remove("GITOPS_CONFIG");
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            return new GroupProcess(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String stderr() {
        return read(stderr);
    }

    String stdout() {
        return read(stdout);
    }

    /** Waits (bounded) for a line of the log on stderr containing {@code text}. */
    void awaitLog(String text) throws InterruptedException {
        if (!Processes.await(() -> stderr().contains(text) || !alive())) {
            throw new AssertionError("no log line with \"" + text + "\"; stderr so far:\n" + stderr());
        }
        if (!stderr().contains(text)) {
            throw new AssertionError("the process ended before logging \"" + text + "\"; stdout:\n" + stdout()
                    + "\nstderr:\n" + stderr());
        }
    }

    /**
     * SIGKILL to every process of the group, then to processes that left it but carry {@code marker} in
     * their command line (Nix runs builders in their own session; systemd would kill them with the unit's
     * cgroup). Returns once none of them is left.
     */
    void killGroup(String marker) throws InterruptedException {
        signal(List.of("kill", "-KILL", "--", "-" + pid()));
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            throw new AssertionError("the agent survived SIGKILL");
        }
        if (!Processes.await(() -> groupMembers(pid()).isEmpty())) {
            throw new AssertionError("processes of group " + pid() + " survived SIGKILL: " + groupMembers(pid()));
        }
        for (long stray : Processes.withMarker(marker)) {
            if (stray != ProcessHandle.current().pid()) {
                signal(List.of("kill", "-KILL", Long.toString(stray)));
            }
        }
        if (!Processes.await(() -> Processes.withMarker(marker).stream().allMatch(p -> p == ProcessHandle.current().pid()))) {
            throw new AssertionError("processes naming " + marker + " survived SIGKILL");
        }
    }

    /** Pids whose process group is {@code pgid}, from /proc/<pid>/stat. */
    static List<Long> groupMembers(long pgid) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    // fields after the command name, which is in parentheses and may hold spaces
                    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return !rest[0].equals("Z") && Long.parseLong(rest[2]) == pgid;
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            }).map(p -> Long.parseLong(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void signal(List<String> argv) throws InterruptedException {
        try {
            new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
