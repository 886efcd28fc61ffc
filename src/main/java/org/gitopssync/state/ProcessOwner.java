package org.gitopssync.state;

import java.time.Instant;
import java.util.Optional;

/**
 * Which process owns a row or a file: its pid and start time, so a pid reused by an unrelated
 * process after a crash is not mistaken for the owner. Written as {@code <pid>.<start millis>}.
 */
public record ProcessOwner(long pid, long startMillis) {

    // /proc start times are in clock ticks: two readings of one process may differ by a tick
    private static final long START_TOLERANCE_MILLIS = 1000;

    /** This process. */
    public static ProcessOwner current() {
        ProcessHandle self = ProcessHandle.current();
        return new ProcessOwner(self.pid(), startOf(self));
    }

    /** Parses {@code <pid>.<start millis>}; empty when the text is not one. */
    public static Optional<ProcessOwner> parse(String text) {
        if (text == null || !text.matches("\\d{1,18}\\.\\d{1,18}")) {
            return Optional.empty();
        }
        int dot = text.indexOf('.');
        return Optional.of(new ProcessOwner(Long.parseLong(text.substring(0, dot)),
                Long.parseLong(text.substring(dot + 1))));
    }

    /** Whether the owning process still runs. */
    public boolean isAlive() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> Math.abs(startOf(h) - startMillis) <= START_TOLERANCE_MILLIS).orElse(false);
    }

    private static long startOf(ProcessHandle h) {
        return h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    @Override
    public String toString() {
        return pid + "." + startMillis;
    }
}
