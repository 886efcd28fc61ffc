package org.gitopssync.nix;

import java.time.Duration;
import java.util.List;
import org.gitopssync.config.SystemdDuration;

/** How a {@link Command} ended: exit code, captured stdout, and the last lines of its output. */
public record CommandResult(
        Command command,
        Termination termination,
        int exitCode,
        String stdout,
        List<String> outputTail,
        Duration duration) {

    /** Why the process stopped. */
    public enum Termination { EXITED, TIMED_OUT, SILENT_TOO_LONG, CANCELLED }

    public CommandResult {
        outputTail = List.copyOf(outputTail);
    }

    public boolean succeeded() {
        return termination == Termination.EXITED && exitCode == 0;
    }

    /** One line describing a failure, with the last output line when there is one. */
    public String failureSummary() {
        String what = switch (termination) {
            case EXITED -> "exited with status " + exitCode;
            case TIMED_OUT -> "timed out after " + SystemdDuration.format(command.timeout());
            case SILENT_TOO_LONG -> "produced no output for "
                    + SystemdDuration.format(command.noOutputTimeout()) + " and was killed";
            case CANCELLED -> "was cancelled";
        };
        String last = outputTail.isEmpty() ? "" : ": " + outputTail.get(outputTail.size() - 1);
        return command.argv().get(0) + " " + what + last;
    }
}
