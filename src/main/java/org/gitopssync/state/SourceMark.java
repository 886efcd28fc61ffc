package org.gitopssync.state;

import java.time.Instant;

/** A named commit the source stage remembers: the last remote head handled, or an operator's reset base. */
public record SourceMark(String name, String commit, Instant updatedAt, String note) {

    /** The remote head the last completed cycle handled; an unchanged remote means nothing to do. */
    public static final String LAST_SEEN = "last-seen";
    /**
     * The last commit whose effects went live: a system activated, or a new secrets generation switched to. The
     * next target must descend from it.
     */
    public static final String LAST_LIVE = "last-live";
    /** How a {@link #LAST_LIVE} note begins when only secrets went live (the system was already running). */
    public static final String SECRETS_WENT_LIVE = "secrets went live";
    /** The commit an operator accepted with {@code gitops-sync reset --to}. */
    public static final String TRUSTED_BASE = "trusted-base";
    /**
     * The commit whose system is being activated with {@code test} and probed by the health gate; cleared when the
     * gate ends. Found by a later cycle, it means the agent died mid-gate and the profile's system must run again.
     */
    public static final String GATE_PENDING = "health-gate-pending";

    /** A system made the boot default because it needs a reboot; the note says which and what was booted then. */
    public static final String REBOOT_PENDING = "reboot-pending";

    /** The remote head a suspended cycle built but did not deploy; only "unchanged" while still suspended. */
    public static final String LAST_SUSPENDED = "last-suspended";
}
