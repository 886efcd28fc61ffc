package org.gitopssync.review;

import java.util.ArrayList;
import java.util.List;

/** The systemd units whose unit files differ between two systems, by unit name, each list sorted. */
public record UnitChanges(List<String> added, List<String> removed, List<String> changed) {

    public static final UnitChanges NONE = new UnitChanges(List.of(), List.of(), List.of());

    public UnitChanges {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    public int size() {
        return added.size() + removed.size() + changed.size();
    }

    /** "nginx.service changed", "backup.timer added", "old.service removed", changed first. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        changed.forEach(u -> out.add(u + " changed"));
        added.forEach(u -> out.add(u + " added"));
        removed.forEach(u -> out.add(u + " removed"));
        return out;
    }
}
