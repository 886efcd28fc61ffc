package org.gitopssync.ci;

import java.time.Instant;

/** A CI run as the state store remembers it. */
public record CiRunRecord(
        long id,
        String branch,
        String commit,
        String flakeRef,
        Instant startedAt,
        Instant finishedAt,
        String outcome,
        String summary) {
}
