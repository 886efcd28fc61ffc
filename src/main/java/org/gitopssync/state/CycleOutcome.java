package org.gitopssync.state;

import java.util.Locale;

/** How a cycle ended, as stored and shown by {@code status}. */
public enum CycleOutcome {
    /** Still running (or the process died mid-cycle). */
    RUNNING(false),
    /** A new system was activated (or made the boot default). */
    DEPLOYED(false),
    /** The remote branch had not moved: nothing was fetched or built. */
    UNCHANGED(false),
    /** Built, and the host already runs exactly that system. */
    UP_TO_DATE(false),
    /** Built without activating ({@code --dry-run}, {@code operation = build} or dry-activate). */
    BUILT(false),
    /** Built, but not deployed: the agent is suspended ({@code gitops-sync suspend}, or drift). */
    SUSPENDED(false),
    /**
     * Not deployed yet, nothing changed: a wave waits for the hosts of {@code fleet.after} (or for the
     * forge to answer), or a fleet host waits for its builder's release record; the next cycle checks again.
     */
    WAITING(false),
    /** The cycle failed; the error says where. */
    FAILED(true),
    /** The target commit was refused by policy (force-push, rewind). */
    REFUSED(true),
    /** Stopped by shutdown or superseded by a newer commit. */
    CANCELLED(true),
    /** The process died during the cycle (killed, crashed); closed by the next cycle. */
    ABANDONED(true);

    private final boolean failure;

    CycleOutcome(boolean failure) {
        this.failure = failure;
    }

    /** Whether this outcome makes {@code sync --once} exit 1. */
    public boolean isFailure() {
        return failure;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static CycleOutcome fromWord(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
