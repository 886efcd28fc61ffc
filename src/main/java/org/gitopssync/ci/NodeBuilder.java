package org.gitopssync.ci;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gitopssync.Cancellation;
import org.gitopssync.config.SystemdDuration;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;

/** Builds one derivation in its own process, with its own log file and both timeouts. */
final class NodeBuilder {

    static final int TAIL_LINES = 20;

    /** How one build ended. */
    record Outcome(CiStatus status, Duration duration, String error, List<String> tail) {

        Outcome {
            tail = List.copyOf(tail);
        }

        static Outcome crashed(String error) {
            return new Outcome(CiStatus.FAILED, Duration.ZERO, error, List.of());
        }
    }

    private final CommandRunner runner;
    private final NixCommands commands;
    private final Duration noOutputTimeout;
    private final Duration maxDuration;

    NodeBuilder(CommandRunner runner, NixCommands commands, Duration noOutputTimeout, Duration maxDuration) {
        this.runner = runner;
        this.commands = commands;
        this.noOutputTimeout = noOutputTimeout;
        this.maxDuration = maxDuration;
    }

    /** Realises {@code drv}; with {@code root}, its outputs become garbage-collector roots. */
    Outcome build(String drv, Path log, Path root, Cancellation cancellation) {
        CommandResult r = runner.run(Command.of(commands.realise(drv, root)).capturingStdout()
                .withTimeout(maxDuration).withNoOutputTimeout(noOutputTimeout).loggingTo(log), cancellation);
        List<String> tail = r.outputTail().subList(Math.max(0, r.outputTail().size() - TAIL_LINES), r.outputTail().size());
        return switch (r.termination()) {
            case EXITED -> r.exitCode() == 0 ? new Outcome(CiStatus.BUILT, r.duration(), null, List.of())
                    : new Outcome(CiStatus.FAILED, r.duration(), firstLine(NixErrors.message(r)), tail);
            case TIMED_OUT -> new Outcome(CiStatus.TIMED_OUT, r.duration(), "still building after "
                    + SystemdDuration.format(maxDuration) + " (ci.max_build_duration); killed", tail);
            case SILENT_TOO_LONG -> new Outcome(CiStatus.TIMED_OUT, r.duration(), "no output for "
                    + SystemdDuration.format(noOutputTimeout) + " (ci.no_output_timeout); killed", tail);
            case CANCELLED -> new Outcome(CiStatus.CANCELLED, r.duration(), cancellation.reason(), tail);
        };
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
