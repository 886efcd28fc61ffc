package org.gitopssync.nix;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.gitopssync.Cancellation;
import org.jboss.logging.Logger;

/**
 * Runs every external process of the agent: argument lists, a total and a no-output timeout,
 * output streamed to a log file, and the whole process tree killed on timeout or cancellation.
 */
public class CommandRunner {

    private static final Logger LOG = Logger.getLogger(CommandRunner.class);
    private static final int TAIL_LINES = 40;
    private static final long POLL_MILLIS = 100;
    private static final long KILL_WAIT_SECONDS = 10;

    private final Map<String, String> baseEnvironment;
    private final boolean inheritEnvironment;

    /** A runner whose children inherit this process's environment. */
    public CommandRunner() {
        this(Map.of());
    }

    /** A runner that adds {@code baseEnvironment} (e.g. a PATH) under every command's own variables. */
    public CommandRunner(Map<String, String> baseEnvironment) {
        this(baseEnvironment, true);
    }

    private CommandRunner(Map<String, String> baseEnvironment, boolean inheritEnvironment) {
        this.baseEnvironment = Map.copyOf(baseEnvironment);
        this.inheritEnvironment = inheritEnvironment;
    }

    /**
     * A runner whose children see only {@code environment} and each command's own variables, not
     * this process's (which may hold tokens and keys): for programs the operator configures, such as hooks.
     */
    public static CommandRunner isolated(Map<String, String> environment) {
        return new CommandRunner(environment, false);
    }

    /** Runs the command to completion; never throws for a non-zero exit, only for a failure to start. */
    public CommandResult run(Command command, Cancellation cancellation) {
        long started = System.nanoTime();
        Map<String, String> env = inheritEnvironment ? new HashMap<>(System.getenv()) : new HashMap<>();
        env.putAll(baseEnvironment);
        env.putAll(command.environment());
        List<String> argv = new ArrayList<>(command.argv());
        argv.set(0, resolveProgram(argv.get(0), env.get("PATH")));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        if (!command.captureStdout()) {
            pb.redirectErrorStream(true);
        }
        LOG.debugf("running %s%s", command.display(),
                command.logFile() == null ? "" : " (log " + command.logFile() + ")");
        OutputStream log = openLog(command);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            closeQuietly(log);
            throw new NixException(startFailure(command.argv().get(0), argv.get(0), env.get("PATH"), e), e);
        }
        feed(process.getOutputStream(), command.standardInput());
        AtomicLong lastOutput = new AtomicLong(System.nanoTime());
        Deque<String> tail = new ArrayDeque<>();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        List<Thread> pumps = new ArrayList<>();
        if (command.stdoutLines() != null || command.stderrLines() != null) {
            pumps.add(command.stdoutLines() != null ? linePump(process.getInputStream(), command.stdoutLines(), lastOutput)
                    : pump(process.getInputStream(), stdout, null, lastOutput));
            pumps.add(command.stderrLines() != null ? linePump(process.getErrorStream(), command.stderrLines(), lastOutput)
                    : pump(process.getErrorStream(), log, tail, lastOutput));
        } else if (command.captureStdout()) {
            pumps.add(pump(process.getInputStream(), stdout, null, lastOutput));
            pumps.add(pump(process.getErrorStream(), log, tail, lastOutput));
        } else {
            pumps.add(pump(process.getInputStream(), log, tail, lastOutput));
        }
        CommandResult.Termination termination = waitFor(process, command, cancellation, lastOutput);
        for (Thread t : pumps) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(log);
        int exit = termination == CommandResult.Termination.EXITED ? process.exitValue() : -1;
        List<String> tailLines;
        synchronized (tail) {
            tailLines = List.copyOf(tail);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // with "running", brackets the time spent outside the agent (bench/run subtracts it)
        LOG.debugf("finished %s in %d ms", command.display(), took.toMillis());
        return new CommandResult(command, termination, exit, stdout.toString(StandardCharsets.UTF_8),
                tailLines, took);
    }

    /** Runs the command and returns its result, or throws {@link NixException} naming the failure. */
    public CommandResult runChecked(Command command, Cancellation cancellation) {
        CommandResult result = run(command, cancellation);
        if (!result.succeeded()) {
            throw new NixException(result.failureSummary(), result);
        }
        return result;
    }

    private CommandResult.Termination waitFor(Process process, Command command, Cancellation cancellation,
            AtomicLong lastOutput) {
        long deadline = command.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + command.timeout().toNanos();
        long silence = command.noOutputTimeout() == null ? Long.MAX_VALUE : command.noOutputTimeout().toNanos();
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                CommandResult.Termination why = null;
                if (cancellation.isCancelled()) {
                    why = CommandResult.Termination.CANCELLED;
                } else if (now - deadline > 0) {
                    why = CommandResult.Termination.TIMED_OUT;
                } else if (now - lastOutput.get() > silence) {
                    why = CommandResult.Termination.SILENT_TOO_LONG;
                }
                if (why != null) {
                    killTree(process.toHandle());
                    process.waitFor(10, TimeUnit.SECONDS);
                    return why;
                }
            }
            return CommandResult.Termination.EXITED;
        } catch (InterruptedException e) {
            killTree(process.toHandle());
            Thread.currentThread().interrupt();
            return CommandResult.Termination.CANCELLED;
        }
    }

    /** The value of {@code name} in the environment this runner gives its children, before a command's own, or null. */
    public String environmentVariable(String name) {
        if (baseEnvironment.containsKey(name)) {
            return baseEnvironment.get(name);
        }
        return inheritEnvironment ? System.getenv(name) : null;
    }

    /** Where {@code program} would be found on the PATH this runner gives its children, if anywhere. */
    public Optional<Path> findOnPath(String program) {
        String path = baseEnvironment.containsKey("PATH") ? baseEnvironment.get("PATH") : System.getenv("PATH");
        String resolved = resolveProgram(program, path);
        Path p = Path.of(resolved);
        return resolved.contains("/") && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    /** Says why a program did not start in words an operator can act on (the JVM's own wording names errno). */
    static String startFailure(String program, String resolved, String path, IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int errno = message.indexOf("error=");
        String reason = errno < 0 ? "the system refused to start it"
                : message.substring(message.indexOf(", ", errno) < 0 ? errno : message.indexOf(", ", errno) + 2)
                        .toLowerCase(Locale.ROOT);
        if (!resolved.contains("/")) {
            return "cannot start " + program + ": no program named \"" + program + "\" on PATH ("
                    + (path == null || path.isEmpty() ? "PATH is empty" : path)
                    + "); install it or add its directory to the service's PATH";
        }
        return "cannot start " + resolved + ": " + reason;
    }

    /** Finds a bare program name on the child's PATH (the JVM would search its own PATH instead). */
    static String resolveProgram(String program, String path) {
        if (program.contains("/") || path == null) {
            return program;
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return program;
    }

    /** Kills children before the parent: once the parent dies they are re-parented and lost to us. */
    static void killTree(ProcessHandle root) {
        List<ProcessHandle> descendants = root.descendants().toList();
        root.destroyForcibly();
        for (ProcessHandle h : descendants) {
            h.destroyForcibly();
        }
        // SIGKILL is asynchronous: report the tree gone only once it is, so that whoever acts
        // next (a retry taking the same store locks, a check for leftovers) never sees it alive
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(KILL_WAIT_SECONDS);
        // (polled here: the JDK's onExit() for processes that are not our children backs off to seconds)
        for (ProcessHandle h : descendants) {
            while (h.isAlive()) {
                if (System.nanoTime() - deadline > 0) {
                    LOG.warnf("process %d did not exit after SIGKILL", h.pid());
                    break;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Thread pump(InputStream in, OutputStream sink, Deque<String> tail,
            AtomicLong lastOutput) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            StringBuilder line = new StringBuilder();
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    lastOutput.set(System.nanoTime());
                    if (sink != null) {
                        synchronized (sink) {
                            sink.write(buf, 0, n);
                        }
                    }
                    if (tail != null) {
                        collectLines(new String(buf, 0, n, StandardCharsets.UTF_8), line, tail);
                    }
                }
            } catch (IOException ignored) {
                // the process died or was killed: what was read is what there is
            }
            if (tail != null && line.length() > 0) {
                addLine(tail, line.toString());
            }
        }, "output-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Thread linePump(InputStream in, Consumer<String> sink, AtomicLong lastOutput) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lastOutput.set(System.nanoTime());
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process died or was killed: what was read is what there is
            } catch (RuntimeException e) {
                LOG.warn("stdout consumer failed; the rest of the output is discarded", e);
                drain(in);
            }
        }, "stdout-lines");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void drain(InputStream in) {
        try (in) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // nothing more to read
        }
    }

    private static void collectLines(String chunk, StringBuilder line, Deque<String> tail) {
        for (int i = 0; i < chunk.length(); i++) {
            char c = chunk.charAt(i);
            if (c == '\n') {
                addLine(tail, line.toString());
                line.setLength(0);
            } else if (c != '\r') {
                line.append(c);
            }
        }
    }

    private static void addLine(Deque<String> tail, String line) {
        synchronized (tail) {
            tail.addLast(line);
            while (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
        }
    }

    private static OutputStream openLog(Command command) {
        if (command.logFile() == null) {
            return OutputStream.nullOutputStream();
        }
        try {
            Files.createDirectories(command.logFile().getParent());
            OutputStream out = Files.newOutputStream(command.logFile(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            out.write(("$ " + command.display() + "\n").getBytes(StandardCharsets.UTF_8));
            return out;
        } catch (IOException e) {
            throw new NixException("cannot write log file " + command.logFile() + ": " + e.getMessage(), e);
        }
    }

    /** Writes the (small: a token) standard input and closes it, so the child sees its end. */
    private static void feed(OutputStream stdin, String text) {
        try (stdin) {
            if (text != null) {
                stdin.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the child exited without reading it: its exit status says what happened
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing useful to do: output already consumed
        }
    }
}
