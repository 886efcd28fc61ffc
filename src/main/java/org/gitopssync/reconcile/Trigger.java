package org.gitopssync.reconcile;

import java.util.Locale;

/** What started a cycle; stored with it and shown by {@code status}. */
public enum Trigger {
    /** {@code sync --once} run by hand. */
    MANUAL,
    /** {@code sync --once} run by the systemd timer. */
    TIMER,
    /** The daemon's own schedule. */
    SCHEDULE,
    /** A forge webhook (push to the deploy branch). */
    WEBHOOK,
    /** {@code gitops-sync demo}. */
    DEMO;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
