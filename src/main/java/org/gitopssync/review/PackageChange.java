package org.gitopssync.review;

import java.util.List;

/** One package's change between two system closures: versions before and after (empty = absent). */
public record PackageChange(String name, List<String> before, List<String> after, String sizeDelta) {

    public PackageChange {
        before = List.copyOf(before);
        after = List.copyOf(after);
    }

    public boolean added() {
        return before.isEmpty() && !after.isEmpty();
    }

    public boolean removed() {
        return !before.isEmpty() && after.isEmpty();
    }

    /** "demo-greeter 2.1 → 2.2", "demo-banner added (1.0)", "demo-motd removed (1.0)". */
    public String describe() {
        if (added()) {
            return name + " added (" + String.join(", ", after) + ")";
        }
        if (removed()) {
            return name + " removed (" + String.join(", ", before) + ")";
        }
        if (before.equals(after)) {
            return name + " rebuilt" + (sizeDelta == null ? "" : " (" + sizeDelta + ")");
        }
        return name + " " + String.join(", ", before) + " → " + String.join(", ", after);
    }
}
