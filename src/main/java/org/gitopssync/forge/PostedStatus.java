package org.gitopssync.forge;

import java.time.Instant;

/**
 * A commit status as the forge shows it: its context, state, description, when that state was
 * posted, and the forge's id for it (ids grow, so they order statuses posted within one second).
 */
public record PostedStatus(String context, StatusState state, String description, Instant at, long id) {

    /** Whether this status was posted after {@code other}. */
    boolean newerThan(PostedStatus other) {
        int byTime = at.compareTo(other.at);
        return byTime != 0 ? byTime > 0 : id > other.id;
    }
}
