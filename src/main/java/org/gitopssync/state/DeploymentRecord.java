package org.gitopssync.state;

import java.time.Instant;
import java.util.Locale;

/** One activation attempt: which commit and system, which profile generation, and how it went. */
public record DeploymentRecord(
        long id,
        long cycleId,
        String commit,
        String operation,
        String method,
        String outPath,
        Integer generation,
        Status status,
        String error,
        Instant startedAt,
        Instant finishedAt) {

    /** The result of activation, including what rollback achieved. */
    public enum Status {
        SUCCEEDED, FAILED, ROLLED_BACK, ROLLBACK_FAILED;

        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Status fromWord(String w) {
            return valueOf(w.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }
}
