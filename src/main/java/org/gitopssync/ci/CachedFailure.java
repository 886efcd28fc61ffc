package org.gitopssync.ci;

import java.nio.file.Path;
import java.time.Instant;

/** A derivation that failed to build, remembered so the next poll does not build it again. */
public record CachedFailure(
        String drvPath,
        String attribute,
        String commit,
        long runId,
        CiStatus status,
        Instant failedAt,
        Path log,
        String error) {
}
