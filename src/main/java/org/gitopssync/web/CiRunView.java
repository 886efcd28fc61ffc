package org.gitopssync.web;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.gitopssync.ci.AttributeResult;
import org.gitopssync.ci.CiResultStore;
import org.gitopssync.ci.CiRunRecord;
import org.gitopssync.ci.CiStatus;
import org.gitopssync.state.CycleRecord;

/** A CI run as the pages show it: each attribute built, cached or failed, a failure linking to its log. */
final class CiRunView {

    private final CiResultStore results;

    CiRunView(CiResultStore results) {
        this.results = results;
    }

    /** The CI runs a cycle started: same branch and commit, started while the cycle ran. */
    List<CiRunRecord> runsOf(CycleRecord cycle, List<CiRunRecord> candidates) {
        Instant end = cycle.finishedAt() == null ? Instant.MAX : cycle.finishedAt();
        return candidates.stream()
                .filter(r -> cycle.commit() != null && cycle.commit().equals(r.commit())
                        && (cycle.branch() == null || cycle.branch().equals(r.branch()))
                        && !r.startedAt().isBefore(cycle.startedAt()) && !r.startedAt().isAfter(end))
                .toList();
    }

    /** A run as a collapsible block: its counts in the summary, every attribute inside. */
    String details(CiRunRecord run, boolean open) {
        List<AttributeResult> attrs = results.results(run.id());
        StringBuilder html = new StringBuilder("<details").append(open ? " open" : "").append("><summary>CI run ")
                .append(run.id()).append(" ").append(Html.badge(run.outcome())).append(" <span class=\"sha\">")
                .append(Html.esc(Html.abbrev(run.commit()))).append("</span> ").append(Html.esc(counts(attrs)));
        if (run.branch() != null && run.branch().startsWith("pr/")) {
            html.append(" · ").append(Html.link("/runs/" + run.branch(), run.branch()));
        }
        html.append("</summary>").append(table(run, attrs)).append("</details>");
        return html.toString();
    }

    String table(CiRunRecord run, List<AttributeResult> attrs) {
        if (attrs.isEmpty()) {
            return "<p class=\"muted\">" + Html.esc(run.summary() == null ? "no attribute results (yet)" : run.summary())
                    + "</p>";
        }
        StringBuilder html = new StringBuilder("<div class=\"scroll\"><table><thead><tr><th>attribute</th><th>status</th>"
                + "<th>time</th><th>log</th></tr></thead><tbody>");
        for (AttributeResult a : attrs) {
            html.append("<tr><td class=\"subject\"><code>").append(Html.esc(a.attribute())).append("</code>");
            if (a.status().failed() && a.error() != null) {
                String first = a.error().strip().lines().findFirst().orElse("");
                html.append("<div class=\"muted\">").append(Html.esc(first)).append("</div>");
            }
            html.append("</td><td>").append(Html.badge(a.status().word())).append("</td><td>")
                    .append(Html.duration(a.duration())).append("</td><td>");
            if (a.log() != null) {
                html.append(Html.link(logPath(run.id(), a.attribute()), "log"));
            }
            html.append("</td></tr>");
        }
        return html.append("</tbody></table></div>").toString();
    }

    static String logPath(long runId, String attribute) {
        return "/runs/ci/" + runId + "/log/" + Html.segment(attribute);
    }

    static String counts(List<AttributeResult> attrs) {
        Map<CiStatus, Integer> n = new EnumMap<>(CiStatus.class);
        attrs.forEach(a -> n.merge(a.status(), 1, Integer::sum));
        StringBuilder b = new StringBuilder();
        n.forEach((status, count) -> b.append(b.length() == 0 ? "" : ", ").append(count).append(' ').append(status.word()));
        return b.toString();
    }
}
