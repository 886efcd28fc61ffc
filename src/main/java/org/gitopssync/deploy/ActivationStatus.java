package org.gitopssync.deploy;

import java.util.Locale;

/** How an activation ended, including what rollback achieved. */
public enum ActivationStatus {
    SUCCEEDED, FAILED, ROLLED_BACK, ROLLBACK_FAILED;

    /** The word recorded and shown for this status: {@code rolled-back}, say. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
