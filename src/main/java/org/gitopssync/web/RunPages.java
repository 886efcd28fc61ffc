package org.gitopssync.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gitopssync.ci.AttributeResult;
import org.gitopssync.ci.CiResultStore;
import org.gitopssync.ci.CiRunRecord;
import org.gitopssync.config.Settings;
import org.gitopssync.fleet.FleetStatus;
import org.gitopssync.forge.CommitLinks;
import org.gitopssync.nix.LogTail;
import org.gitopssync.state.CycleCommit;
import org.gitopssync.state.CycleHistory;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.DeploymentRecord;
import org.gitopssync.state.StageEntry;
import org.gitopssync.state.StateStore;

/**
 * The HTML pages, read from the state store per request: {@code /} (the status page, when the settings are
 * known), {@code /runs/<id>} (one cycle: its stage timeline, CI runs and log tail; the page branch statuses
 * link to), {@code /runs/pr/<forge>/<number>} (a pull request's checks, the page their statuses link to) and
 * {@code /runs/ci/<run>/log/<attribute>} (the end of one attribute's build log).
 */
public final class RunPages {

    private static final int LOG_LINES = 200;
    private static final int LOG_BYTES = 64 * 1024;
    private static final Pattern CYCLE = Pattern.compile("/runs/(\\d{1,18})");
    private static final Pattern PULL_REQUEST = Pattern.compile("/runs/pr/([a-z]{1,16})/(\\d{1,9})");
    private static final Pattern ATTRIBUTE_LOG = Pattern.compile("/runs/ci/(\\d{1,18})/log/([^/]{1,1000})");

    private final StateStore store;
    private final Settings settings;
    private final CycleHistory history;
    private final CiResultStore ci;
    private final CiRunView runs;
    private final CommitLinks links;
    private final StatusPage status;
    private final Clock clock;

    /** Run pages only: {@code /} answers 404 (the host's settings are not known). */
    public RunPages(StateStore store) {
        this(store, null, Clock.systemUTC());
    }

    /** Every page, the status page included. */
    public RunPages(StateStore store, Settings settings) {
        this(store, settings, Clock.systemUTC());
    }

    /** Every page, the status page with the fleet table {@code fleet} gives (a builder's; empty: no section). */
    public RunPages(StateStore store, Settings settings, Supplier<Optional<FleetStatus.Report>> fleet) {
        this(store, settings, Clock.systemUTC(), fleet);
    }

    RunPages(StateStore store, Settings settings, Clock clock) {
        this(store, settings, clock, Optional::empty);
    }

    RunPages(StateStore store, Settings settings, Clock clock, Supplier<Optional<FleetStatus.Report>> fleet) {
        this.store = store;
        this.settings = settings;
        this.history = new CycleHistory(store);
        this.ci = new CiResultStore(store);
        this.runs = new CiRunView(ci);
        this.links = settings == null ? CommitLinks.of(List.of(), null)
                : CommitLinks.of(settings.forges(), settings.repository().url());
        this.status = settings == null ? null : new StatusPage(store, settings, clock, fleet);
        this.clock = clock;
    }

    /** The page at this raw request path, or empty for 404. */
    Optional<String> page(String path) {
        if (path.equals("/")) {
            return Optional.ofNullable(status).map(StatusPage::render);
        }
        Matcher m = CYCLE.matcher(path);
        if (m.matches()) {
            return store.cycle(Long.parseLong(m.group(1))).map(this::cyclePage);
        }
        m = PULL_REQUEST.matcher(path);
        if (m.matches()) {
            return pullRequestPage("pr/" + m.group(1) + "/" + m.group(2), m.group(1), Integer.parseInt(m.group(2)));
        }
        m = ATTRIBUTE_LOG.matcher(path);
        if (m.matches()) {
            String attribute;
            try {
                attribute = Html.decodeSegment(m.group(2));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            return attributeLog(Long.parseLong(m.group(1)), attribute);
        }
        return Optional.empty();
    }

    private String host() {
        return settings == null ? null : settings.hostname();
    }

    private String cyclePage(CycleRecord c) {
        Instant now = clock.instant();
        StringBuilder html = new StringBuilder("<h1>Cycle ").append(c.id()).append(" ")
                .append(Html.badge(c.outcome().word())).append("</h1><div class=\"scroll\"><table class=\"facts\"><tbody>");
        fact(html, "trigger", Html.esc(c.trigger()));
        fact(html, "branch", Html.esc(c.branch()));
        if (c.commit() != null) {
            CycleCommit commit = history.commit(c.id()).orElse(null);
            StringBuilder v = new StringBuilder("<span class=\"sha\">")
                    .append(Html.link(links.commit(c.commit()).orElse(null), c.commit())).append("</span>");
            if (commit != null && commit.subject() != null) {
                v.append("<div class=\"subject\">").append(Html.esc(commit.subject())).append("</div>");
            }
            if (commit != null && commit.author() != null) {
                v.append("<div class=\"muted\">by ").append(Html.esc(commit.author())).append("</div>");
            }
            fact(html, "commit", v.toString());
        }
        fact(html, "stage", Html.esc(c.stage()));
        fact(html, "started", Html.timeElement(c.startedAt()));
        fact(html, "finished", c.finishedAt() == null ? "running" : Html.timeElement(c.finishedAt()));
        fact(html, "duration", Html.duration(Duration.between(c.startedAt(), c.finishedAt() == null ? now : c.finishedAt())));
        if (c.error() != null) {
            fact(html, "error", "<pre>" + Html.esc(c.error()) + "</pre>");
        }
        for (DeploymentRecord d : store.recentDeployments(200)) {
            if (d.cycleId() == c.id()) {
                fact(html, "deployment", Html.badge(d.status().word()) + " " + Html.esc(d.operation()) + " via "
                        + Html.esc(d.method()) + (d.generation() == null ? "" : ", generation " + d.generation())
                        + "<div><code>" + Html.esc(d.outPath()) + "</code></div>"
                        + (d.error() == null ? "" : "<div class=\"muted\">" + Html.esc(d.error()) + "</div>"));
            }
        }
        html.append("</tbody></table></div>");
        timeline(html, c, history.stages(c.id()), now);
        List<CiRunRecord> cycleRuns = c.commit() == null ? List.of() : runs.runsOf(c, ci.runIdsOfCommit(c.commit())
                .stream().map(ci::run).flatMap(Optional::stream).toList());
        if (!cycleRuns.isEmpty()) {
            html.append("<h2>CI</h2>");
            cycleRuns.forEach(r -> html.append(runs.details(r, true)));
        }
        if (c.logPath() != null) {
            html.append("<h2>Log (last ").append(LOG_LINES).append(" lines)</h2><pre id=\"log\">")
                    .append(Html.esc(tail(Path.of(c.logPath())))).append("</pre>");
        }
        return Html.page("gitops-sync cycle " + c.id(), host(), html.toString());
    }

    private static void timeline(StringBuilder html, CycleRecord c, List<StageEntry> entered, Instant now) {
        if (entered.isEmpty()) {
            return;
        }
        html.append("<h2>Stages</h2><div class=\"scroll\"><table id=\"stages\"><thead><tr><th>stage</th><th>entered</th>"
                + "<th>took</th></tr></thead><tbody>");
        for (int i = 0; i < entered.size(); i++) {
            StageEntry e = entered.get(i);
            Instant end = i + 1 < entered.size() ? entered.get(i + 1).enteredAt()
                    : c.finishedAt() == null ? now : c.finishedAt();
            html.append("<tr><td>").append(Html.esc(e.stage())).append("</td><td>").append(Html.timeElement(e.enteredAt()))
                    .append("</td><td>").append(Html.duration(Duration.between(e.enteredAt(), end)))
                    .append(i + 1 == entered.size() && c.finishedAt() == null ? " (running)" : "").append("</td></tr>");
        }
        html.append("</tbody></table></div>");
    }

    private Optional<String> pullRequestPage(String runKey, String forge, int number) {
        List<CiRunRecord> checks = ci.recentRuns(500).stream().filter(r -> runKey.equals(r.branch())).limit(20).toList();
        if (checks.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder html = new StringBuilder("<h1>Pull request ").append(Html.esc(forge)).append(" #").append(number)
                .append("</h1><p class=\"muted\">Checks of its heads, newest first: built and cached, never deployed.</p>");
        for (int i = 0; i < checks.size(); i++) {
            CiRunRecord r = checks.get(i);
            html.append("<h2><span class=\"sha\">").append(Html.link(links.commit(r.commit()).orElse(null),
                    Html.abbrev(r.commit()))).append("</span> ").append(Html.badge(r.outcome())).append("</h2><p class=\"muted\">")
                    .append(Html.timeElement(r.startedAt())).append(r.summary() == null ? "" : " · " + Html.esc(r.summary()))
                    .append("</p>").append(runs.details(r, i == 0));
        }
        return Optional.of(Html.page("gitops-sync pull request " + forge + " #" + number, host(), html.toString()));
    }

    private Optional<String> attributeLog(long runId, String attribute) {
        // the log path comes from the store, never from the request: nothing outside the agent's logs is served
        return ci.results(runId).stream().filter(a -> a.attribute().equals(attribute) && a.log() != null).findFirst()
                .map(a -> attributeLogPage(runId, a));
    }

    private String attributeLogPage(long runId, AttributeResult a) {
        String back = ci.run(runId).map(CiRunRecord::branch).filter(b -> b.startsWith("pr/")).map(b -> "/runs/" + b)
                .orElse("/");
        return Html.page("gitops-sync log of " + a.attribute(), host(), "<h1><code>" + Html.esc(a.attribute())
                + "</code> " + Html.badge(a.status().word()) + "</h1><p>" + Html.link(back, "back") + " · CI run " + runId
                + "</p><pre id=\"log\">" + Html.esc(tail(a.log())) + "</pre>");
    }

    private static void fact(StringBuilder html, String name, String valueHtml) {
        if (valueHtml != null && !valueHtml.isEmpty()) {
            html.append("<tr><th>").append(Html.esc(name)).append("</th><td>").append(valueHtml).append("</td></tr>");
        }
    }

    private static String tail(Path log) {
        if (!Files.isReadable(log)) {
            return "(no log)";
        }
        // read from the end: a cycle log can be hundreds of megabytes of build output
        return String.join("\n", LogTail.of(log, LOG_LINES, LOG_BYTES));
    }
}
