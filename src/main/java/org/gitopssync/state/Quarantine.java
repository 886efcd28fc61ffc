package org.gitopssync.state;

import java.time.Instant;

/** A commit whose system failed the health gate: which probe failed in which cycle, and the end of its output. */
public record Quarantine(String commit, long cycleId, String probe, String output, Instant since) {
}
