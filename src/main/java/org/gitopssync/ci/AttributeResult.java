package org.gitopssync.ci;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one attribute: its derivation and outputs, status, build time, log, and for
 * failures a one-line reason and the last lines of the relevant build log.
 */
public record AttributeResult(
        CiTarget target,
        String drvPath,
        Map<String, String> outputs,
        CiStatus status,
        Duration duration,
        Path log,
        String error,
        List<String> logTail) {

    public AttributeResult {
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
        logTail = logTail == null ? List.of() : List.copyOf(logTail);
        duration = duration == null ? Duration.ZERO : duration;
    }

    public String attribute() {
        return target.attribute();
    }

    /** The {@code out} output, or the only one, or null. */
    public String out() {
        String out = outputs.get("out");
        return out != null || outputs.isEmpty() ? out : outputs.values().iterator().next();
    }

    /** A few lines for a failure report: what failed, why, and the tail of its log. */
    public String describeFailure() {
        StringBuilder b = new StringBuilder(target.attribute()).append(": ").append(status.word());
        String reason = error == null ? "" : error.strip();
        int lineEnd = reason.indexOf('\n');
        if (!reason.isEmpty()) {
            // The first line says what failed; nix's code frames and traces belong in the log, not in a status line.
            b.append(": ").append(lineEnd < 0 ? reason : reason.substring(0, lineEnd));
        }
        if (log != null) {
            b.append(lineEnd < 0 ? " (log " + log + ")" : " (full error and code frames in " + log + ")");
        } else if (lineEnd >= 0) {
            b.append(" (full error in the cycle log)");
        }
        for (String line : logTail) {
            b.append("\n    | ").append(line);
        }
        return b.toString();
    }

    /** Like {@link #describeFailure()} with the whole error, code frames included: for log files. */
    public String describeFailureInFull() {
        StringBuilder b = new StringBuilder(target.attribute()).append(": ").append(status.word());
        if (error != null && !error.isBlank()) {
            b.append(": ").append(error);
        }
        if (log != null) {
            b.append(" (log ").append(log).append(")");
        }
        for (String line : logTail) {
            b.append("\n    | ").append(line);
        }
        return b.toString();
    }
}
