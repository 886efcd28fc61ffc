package org.gitopssync.forge;

import java.util.Locale;

/** How a status left a forge's queue: the {@code result} label of {@code gitops_sync_forge_statuses_total}. */
public enum DeliveryResult {
    /** The forge accepted it. */
    DELIVERED,
    /** The forge refused it, or every retry failed (a transient failure keeps it in the outbox). */
    FAILED,
    /** Left unsent by this process: the queue was full, closing or stopped (the outbox keeps what it wrote). */
    DROPPED;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
