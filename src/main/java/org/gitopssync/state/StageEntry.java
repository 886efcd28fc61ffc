package org.gitopssync.state;

import java.time.Instant;

/** A cycle entering a stage, and when. */
public record StageEntry(String stage, Instant enteredAt) {
}
