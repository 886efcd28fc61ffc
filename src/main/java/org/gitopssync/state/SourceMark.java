package org.gitopssync.state;

import java.time.Instant;

/** A named commit the source stage remembers: the last remote head handled, or an operator's reset base. */
public record SourceMark(String name, String commit, Instant updatedAt, String note) {

    /** The remote head the last completed cycle handled; an unchanged remote means nothing to do. */
    public static final String LAST_SEEN = "last-seen";
    /** The commit an operator accepted with {@code gitops-sync reset --to}. */
    public static final String TRUSTED_BASE = "trusted-base";
}
