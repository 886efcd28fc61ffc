package org.gitopssync.state;

import java.time.Instant;

/** One reconcile cycle as stored: what triggered it, which commit, how it ended. */
public record CycleRecord(
        long id,
        String trigger,
        Instant startedAt,
        Instant finishedAt,
        String branch,
        String commit,
        CycleOutcome outcome,
        String stage,
        String error,
        String logPath) {
}
