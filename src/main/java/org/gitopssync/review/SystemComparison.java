package org.gitopssync.review;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gitopssync.deploy.RebootCheck;

/**
 * Compares two built systems on this machine's store for a plan: the boot parts that differ (the same comparison
 * a deploy makes against the booted system) and the units whose unit files change.
 */
final class SystemComparison {

    private SystemComparison() {
    }

    /** The plan for one host; boot parts and units are compared only when both systems are on this machine. */
    static SystemPlan plan(String host, String before, String after, List<PackageChange> changes) {
        if (before == null || before.equals(after) || !Files.isDirectory(Path.of(before))
                || !Files.isDirectory(Path.of(after))) {
            return new SystemPlan(host, before, after, changes);
        }
        return new SystemPlan(host, before, after, changes, RebootCheck.changes(Path.of(before), Path.of(after)),
                UnitDiff.between(Path.of(before), Path.of(after)));
    }
}
