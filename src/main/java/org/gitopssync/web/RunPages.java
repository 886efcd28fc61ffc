package org.gitopssync.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.gitopssync.nix.LogTail;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.StateStore;

/** {@code /runs/<id>}: one cycle's outcome and the end of its log, the page forge statuses link to. */
public final class RunPages {

    private static final int LOG_LINES = 200;
    private static final int LOG_BYTES = 64 * 1024;

    private final StateStore store;

    public RunPages(StateStore store) {
        this.store = store;
    }

    Optional<String> page(String id) {
        if (!id.matches("\\d{1,18}")) {
            return Optional.empty();
        }
        return store.cycle(Long.parseLong(id)).map(this::render);
    }

    private String render(CycleRecord c) {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>gitops-sync run ")
                .append(c.id()).append("</title><style>body{font-family:sans-serif;margin:2em}pre{background:#f4f4f4;"
                        + "padding:1em;overflow:auto}td{padding:0 1em 0 0}</style></head><body>")
                .append("<h1>Run ").append(c.id()).append(": ").append(esc(c.outcome().word())).append("</h1><table>");
        row(html, "trigger", c.trigger());
        row(html, "branch", c.branch());
        row(html, "commit", c.commit());
        row(html, "stage", c.stage());
        row(html, "started", String.valueOf(c.startedAt()));
        row(html, "finished", c.finishedAt() == null ? "running" : c.finishedAt().toString());
        row(html, "error", c.error());
        html.append("</table>");
        if (c.logPath() != null) {
            html.append("<h2>Log (last ").append(LOG_LINES).append(" lines)</h2><pre>").append(esc(tail(Path.of(c.logPath()))))
                    .append("</pre>");
        }
        return html.append("</body></html>").toString();
    }

    private static void row(StringBuilder html, String k, String v) {
        if (v != null) {
            html.append("<tr><td>").append(k).append("</td><td>").append(esc(v)).append("</td></tr>");
        }
    }

    private static String tail(Path log) {
        if (!Files.isReadable(log)) {
            return "(no log)";
        }
        // read from the end: a cycle log can be hundreds of megabytes of build output
        return String.join("\n", LogTail.of(log, LOG_LINES, LOG_BYTES));
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
