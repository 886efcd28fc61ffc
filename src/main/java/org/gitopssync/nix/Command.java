package org.gitopssync.nix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One external program to run: an argument list (never a shell string), extra environment
 * (where secrets travel, never argv), limits, and the log file its output streams to.
 */
public record Command(
        List<String> argv,
        Map<String, String> environment,
        Duration timeout,
        Duration noOutputTimeout,
        Path logFile,
        boolean captureStdout,
        Consumer<String> stdoutLines,
        Consumer<String> stderrLines,
        String standardInput) {

    public Command {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), Map.of(), Duration.ofMinutes(10), null, null, false, null, null, null);
    }

    public static Command of(List<String> argv) {
        return new Command(argv, Map.of(), Duration.ofMinutes(10), null, null, false, null, null, null);
    }

    public Command withEnvironment(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putAll(extra);
        return new Command(argv, env, timeout, noOutputTimeout, logFile, captureStdout, stdoutLines, stderrLines,
                standardInput);
    }

    public Command withTimeout(Duration total) {
        return new Command(argv, environment, total, noOutputTimeout, logFile, captureStdout, stdoutLines, stderrLines,
                standardInput);
    }

    public Command withNoOutputTimeout(Duration silence) {
        return new Command(argv, environment, timeout, silence, logFile, captureStdout, stdoutLines, stderrLines,
                standardInput);
    }

    public Command loggingTo(Path file) {
        return new Command(argv, environment, timeout, noOutputTimeout, file, captureStdout, stdoutLines, stderrLines,
                standardInput);
    }

    /** Keep stdout apart (for JSON answers); stderr alone goes to the log. */
    public Command capturingStdout() {
        return new Command(argv, environment, timeout, noOutputTimeout, logFile, true, stdoutLines, stderrLines,
                standardInput);
    }

    /**
     * Hands stdout to {@code sink} line by line as it arrives (for streamed JSON answers) instead
     * of collecting it; stderr alone goes to the log. The sink runs on the runner's reader thread.
     */
    public Command streamingStdoutTo(Consumer<String> sink) {
        return new Command(argv, environment, timeout, noOutputTimeout, logFile, true, sink, stderrLines,
                standardInput);
    }

    /**
     * Keeps stdout apart (captured) and hands stderr to {@code sink} line by line as it arrives,
     * instead of the log (for structured logs such as nix's internal-json). Runs on a reader thread.
     */
    public Command streamingStderrTo(Consumer<String> sink) {
        return new Command(argv, environment, timeout, noOutputTimeout, logFile, true, stdoutLines, sink,
                standardInput);
    }

    /**
     * Text the child reads on its standard input, a pipe: how a secret reaches a tool that insists
     * on reading it from a file ({@code /dev/stdin}) without the secret ever touching a disk.
     */
    public Command withStandardInput(String text) {
        return new Command(argv, environment, timeout, noOutputTimeout, logFile, captureStdout, stdoutLines, stderrLines,
                text);
    }

    /** The program and its arguments, for messages; the environment and standard input are never shown. */
    public String display() {
        return String.join(" ", argv);
    }

    @Override
    public String toString() {
        return "Command[" + display() + ", env keys " + environment.keySet() + "]";
    }
}
