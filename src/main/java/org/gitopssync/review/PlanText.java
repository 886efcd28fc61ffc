package org.gitopssync.review;

import java.util.List;

/** Renders plans: a one-line status description and the markdown body of the pull request comment. */
final class PlanText {

    private static final int MAX_LINES_PER_HOST = 50;

    private PlanText() {
    }

    static String description(List<SystemPlan> plans) {
        List<SystemPlan> changing = plans.stream().filter(SystemPlan::changesSystem).toList();
        if (changing.isEmpty()) {
            return "no host's system changes";
        }
        return String.join("; ", changing.stream().map(SystemPlan::headline).toList());
    }

    static String comment(String commit, String ciSummary, List<SystemPlan> plans) {
        StringBuilder b = new StringBuilder("### gitops-sync plan for ").append(commit, 0, Math.min(12, commit.length()))
                .append("\n\nBuild: ").append(ciSummary).append("\n\n");
        List<SystemPlan> changing = plans.stream().filter(SystemPlan::changesSystem).toList();
        if (changing.isEmpty()) {
            return b.append("No host's system changes.\n").toString();
        }
        for (SystemPlan p : changing) {
            b.append("**").append(p.headline()).append("**\n\n");
            if (p.rebootNeeded()) {
                b.append("Reboot needed: ").append(String.join(", ", p.rebootBecause()))
                        .append(" change.\n\n");
            }
            if (!p.units().isEmpty()) {
                List<String> units = p.units().describe();
                b.append("Units: ").append(String.join(", ", units.subList(0, Math.min(MAX_LINES_PER_HOST,
                        units.size()))));
                if (units.size() > MAX_LINES_PER_HOST) {
                    b.append(", … and ").append(units.size() - MAX_LINES_PER_HOST).append(" more");
                }
                b.append(".\n\n");
            }
            int shown = 0;
            for (PackageChange c : p.changes()) {
                if (shown++ == MAX_LINES_PER_HOST) {
                    b.append("- … and ").append(p.changes().size() - MAX_LINES_PER_HOST).append(" more\n");
                    break;
                }
                b.append("- ").append(c.describe()).append('\n');
            }
            b.append('\n');
        }
        return b.toString();
    }
}
