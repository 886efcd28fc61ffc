package org.gitopssync.forge;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Replays a pull request's label events to tell whether a label is on now, and who applied it last and when. */
final class LabelHistory {

    /** One label added or removed; {@code userKey} is what the permission lookup takes (a login, or a GitLab user id). */
    record Change(String label, boolean added, String user, String userKey, Instant at) {
    }

    private LabelHistory() {
    }

    /** The last time {@code label} was applied, if it is still on (label names compare without case, as the forges do). */
    static Optional<Change> current(List<Change> changes, String label) {
        Change last = null;
        for (Change c : changes.stream().sorted(Comparator.comparing(Change::at)).toList()) {
            if (c.label() != null && c.label().equalsIgnoreCase(label)) {
                last = c;
            }
        }
        return last != null && last.added() ? Optional.of(last) : Optional.empty();
    }
}
