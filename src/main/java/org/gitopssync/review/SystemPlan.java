package org.gitopssync.review;

import java.util.ArrayList;
import java.util.List;

/**
 * What merging a change would do to one host: its system now (what it runs, or the base branch's
 * build) and with the change, the packages that differ, the boot parts that differ (a reboot is
 * needed when any does) and the units whose unit files change. {@code before} is null for a new host.
 */
public record SystemPlan(String host, String before, String after, List<PackageChange> changes,
        List<String> rebootBecause, UnitChanges units) {

    public SystemPlan {
        changes = List.copyOf(changes);
        rebootBecause = List.copyOf(rebootBecause);
        units = units == null ? UnitChanges.NONE : units;
    }

    /** A plan of packages alone (no boot parts or units compared). */
    public SystemPlan(String host, String before, String after, List<PackageChange> changes) {
        this(host, before, after, changes, List.of(), UnitChanges.NONE);
    }

    public boolean rebootNeeded() {
        return !rebootBecause.isEmpty();
    }

    public boolean changesSystem() {
        return before == null || !before.equals(after);
    }

    /** "web1: 2 changed, 1 added" / "web1: 1 changed, reboot needed" / "web1: no change" / "web1: new host". */
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
        if (parts.isEmpty()) {
            parts.add("rebuilt, same packages");
        }
        if (rebootNeeded()) {
            parts.add("reboot needed");
        }
        return host + ": " + String.join(", ", parts);
    }
}
