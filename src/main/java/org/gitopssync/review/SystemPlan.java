package org.gitopssync.review;

import java.util.ArrayList;
import java.util.List;

/**
 * What merging a change would do to one host: its system now (what it runs, or the base branch's
 * build) and with the change, and the packages that differ. {@code before} is null for a new host.
 */
public record SystemPlan(String host, String before, String after, List<PackageChange> changes) {

    public SystemPlan {
        changes = List.copyOf(changes);
    }

    public boolean changesSystem() {
        return before == null || !before.equals(after);
    }

    /** "web1: 2 changed, 1 added" / "web1: no change" / "web1: new host". */
    public String headline() {
        if (before == null) {
            return host + ": new host";
        }
        if (!changesSystem()) {
            return host + ": no change";
        }
        long added = changes.stream().filter(PackageChange::added).count();
        long removed = changes.stream().filter(PackageChange::removed).count();
        long changed = changes.size() - added - removed;
        List<String> parts = new ArrayList<>();
        if (changed > 0) {
            parts.add(changed + " changed");
        }
        if (added > 0) {
            parts.add(added + " added");
        }
        if (removed > 0) {
            parts.add(removed + " removed");
        }
        return host + ": " + (parts.isEmpty() ? "rebuilt, same packages" : String.join(", ", parts));
    }
}
