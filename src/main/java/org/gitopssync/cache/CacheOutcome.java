package org.gitopssync.cache;

import java.time.Duration;

/**
 * How one cache fared in one push: paths uploaded, already there and failed, or why it was
 * skipped or failed. {@code alreadyPresent} is -1 when the backend decided that itself.
 */
public record CacheOutcome(
        String cacheId,
        String destination,
        Status status,
        boolean required,
        int pushed,
        int alreadyPresent,
        int failed,
        String reason,
        Duration duration) {

    /** The end state of one cache. */
    public enum Status {
        /** Everything asked for is in the cache now (possibly nothing needed uploading). */
        PUSHED,
        /** The cache's permissions do not cover this build; nothing was tried. */
        SKIPPED,
        /** Something was tried and did not work, or the destination was refused. */
        FAILED
    }

    static CacheOutcome skipped(String cacheId, String destination, boolean required, String reason) {
        return new CacheOutcome(cacheId, destination, Status.SKIPPED, required, 0, 0, 0, reason, Duration.ZERO);
    }

    public boolean failedRequired() {
        return status == Status.FAILED && required;
    }

    /** Whether the backend (cachix, attic, niks3, ssh) chose what to upload, so counts are upper bounds. */
    public boolean dedupedByBackend() {
        return alreadyPresent < 0;
    }

    /** One line for the cycle summary, e.g. {@code main: pushed 12, already there 190, failed 0}. */
    public String summaryLine() {
        if (status == Status.SKIPPED) {
            return cacheId + ": skipped (" + reason + ")";
        }
        String counts = dedupedByBackend()
                ? "handed " + pushed + " paths to the backend (it uploads what it lacks), failed " + failed
                : "pushed " + pushed + ", already there " + alreadyPresent + ", failed " + failed;
        if (status == Status.FAILED) {
            return cacheId + ": " + counts + (required ? " (required)" : "") + ": " + reason;
        }
        return cacheId + ": " + counts;
    }
}
