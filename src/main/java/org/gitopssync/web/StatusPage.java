package org.gitopssync.web;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.gitopssync.ci.CiResultStore;
import org.gitopssync.ci.CiRunRecord;
import org.gitopssync.config.Settings;
import org.gitopssync.fleet.FleetStatus;
import org.gitopssync.forge.CommitLinks;
import org.gitopssync.reconcile.HostStatus;
import org.gitopssync.state.CycleCommit;
import org.gitopssync.state.CycleHistory;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.SourceMark;
import org.gitopssync.state.StageEntry;
import org.gitopssync.state.StateStore;
import org.gitopssync.state.Suspension;

/**
 * {@code GET /}: what the host runs (deployed commit, generation, running and booted system), what stops it
 * (reboot needed, suspended, drift), what it does now, the last cycles with their stage durations, and the
 * recent CI runs with every attribute.
 */
final class StatusPage {

    static final int CYCLES = 50;
    private static final int CI_RUNS = 10;

    private final StateStore store;
    private final Settings settings;
    private final CycleHistory history;
    private final CiResultStore ci;
    private final CiRunView runs;
    private final CommitLinks links;
    private final Clock clock;
    private final Supplier<Optional<FleetStatus.Report>> fleet;

    StatusPage(StateStore store, Settings settings, Clock clock) {
        this(store, settings, clock, Optional::empty);
    }

    /** With a builder's fleet table ({@code fleet status}) as a section; empty leaves the section out. */
    StatusPage(StateStore store, Settings settings, Clock clock, Supplier<Optional<FleetStatus.Report>> fleet) {
        this.store = store;
        this.settings = settings;
        this.history = new CycleHistory(store);
        this.ci = new CiResultStore(store);
        this.runs = new CiRunView(ci);
        this.links = CommitLinks.of(settings.forges(), settings.repository().url());
        this.clock = clock;
        this.fleet = fleet;
    }

    String render() {
        HostStatus status = HostStatus.read(settings, store, CYCLES);
        List<CycleRecord> cycles = status.recentCycles();
        long first = cycles.isEmpty() ? 0 : cycles.get(cycles.size() - 1).id();
        long last = cycles.isEmpty() ? 0 : cycles.get(0).id();
        Map<Long, List<StageEntry>> stages = history.stagesFrom(first, last);
        Map<Long, CycleCommit> commits = history.commitsFrom(first, last);
        List<CiRunRecord> recentRuns = ci.recentRuns(200);
        Instant now = clock.instant();

        StringBuilder html = new StringBuilder("<h1>").append(Html.esc(status.host())).append("</h1>");
        warnings(html, status);
        host(html, status, commits);
        current(html, status.lastCycle(), stages, now);
        fleet.get().ifPresent(report -> fleetTable(html, report));
        html.append("<h2>Last cycles</h2>");
        if (cycles.isEmpty()) {
            html.append("<p class=\"muted\">No cycle has run yet.</p>");
        } else {
            cycleTable(html, cycles, stages, commits, recentRuns, now);
        }
        html.append("<h2>CI runs</h2>");
        List<CiRunRecord> shown = recentRuns.stream().limit(CI_RUNS).toList();
        if (shown.isEmpty()) {
            html.append("<p class=\"muted\">No CI run yet.</p>");
        }
        for (int i = 0; i < shown.size(); i++) {
            html.append(runs.details(shown.get(i), i == 0));
        }
        html.append("<p class=\"muted\">Shown at ").append(Html.timeElement(now)).append(".</p>");
        return Html.page("gitops-sync: " + status.host(), status.host(), html.toString());
    }

    private void warnings(StringBuilder html, HostStatus status) {
        Suspension s = status.suspension();
        if (s != null) {
            html.append("<div class=\"warn\"><strong>Suspended</strong> by ").append(Html.esc(s.suspendedBy()))
                    .append(" since ").append(Html.timeElement(s.since()));
            if (s.reason() != null) {
                html.append(": ").append(Html.esc(s.reason()));
            }
            html.append(". Nothing is deployed until <code>gitops-sync resume</code>.</div>");
        }
        if (s != null && s.byDrift()) {
            html.append("<div class=\"alert\"><strong>Drift</strong>: the host runs <code>")
                    .append(Html.esc(s.runningSystem())).append("</code>, the agent deployed <code>")
                    .append(Html.esc(s.expectedSystem())).append("</code>.</div>");
        } else if (status.deployed() != null && status.runningSystem() != null && !status.runningMatchesDeployed()) {
            html.append("<div class=\"alert\"><strong>Drift</strong>: the running system is not the one the agent"
                    + " deployed last.</div>");
        }
        store.mark(SourceMark.REBOOT_PENDING).ifPresent(m -> html.append("<div class=\"warn\"><strong>Reboot needed"
                + "</strong> since ").append(Html.timeElement(m.updatedAt()))
                .append(m.note() == null ? "" : ": " + Html.esc(m.note())).append("</div>"));
    }

    private void host(StringBuilder html, HostStatus status, Map<Long, CycleCommit> commits) {
        html.append("<div class=\"scroll\"><table class=\"facts\"><tbody>");
        fact(html, "repository", Html.esc(status.repository()) + " <span class=\"muted\">(" + Html.esc(status.branch())
                + ")</span>");
        if (status.deployed() == null) {
            fact(html, "deployed", "<span class=\"muted\">nothing yet</span>");
        } else {
            CycleCommit c = commits.get(status.deployed().cycleId());
            if (c == null) {
                c = history.commit(status.deployed().cycleId()).orElse(null);
            }
            fact(html, "deployed commit", commit(status.deployed().commit(), c));
            fact(html, "deployed", Html.timeElement(status.deployed().finishedAt()) + " by "
                    + Html.link("/runs/" + status.deployed().cycleId(), "cycle " + status.deployed().cycleId()) + " ("
                    + Html.esc(status.deployed().operation()) + ")");
        }
        fact(html, "generation", status.profileGeneration() == null ? "" : status.profileGeneration().toString());
        fact(html, "running system", code(status.runningSystem()));
        Optional<String> booted = booted();
        fact(html, "booted system", booted.map(StatusPage::code).orElse("<span class=\"muted\">unknown</span>")
                + (booted.isPresent() && status.runningSystem() != null && !booted.get().equals(status.runningSystem())
                        ? " <span class=\"muted\">(not the running system)</span>" : ""));
        fact(html, "reboot needed", store.mark(SourceMark.REBOOT_PENDING).isPresent() ? "yes" : "no");
        fact(html, "suspended", status.suspension() == null ? "no" : "yes");
        html.append("</tbody></table></div>");
    }

    private String commit(String sha, CycleCommit c) {
        StringBuilder b = new StringBuilder("<span class=\"sha\">")
                .append(Html.link(links.commit(sha).orElse(null), Html.abbrev(sha))).append("</span>");
        if (c != null && c.subject() != null) {
            b.append(" <span class=\"subject\">").append(Html.esc(c.subject())).append("</span>");
        }
        if (c != null && c.author() != null) {
            b.append(" <span class=\"muted\">by ").append(Html.esc(c.author())).append("</span>");
        }
        return b.toString();
    }

    private void current(StringBuilder html, CycleRecord last, Map<Long, List<StageEntry>> stages, Instant now) {
        html.append("<h2>Now</h2><p id=\"current\">");
        if (last == null || last.outcome() != CycleOutcome.RUNNING) {
            html.append("Idle.");
            if (last != null) {
                html.append(" The last cycle, ").append(Html.link("/runs/" + last.id(), "#" + last.id())).append(", ended ")
                        .append(Html.badge(last.outcome().word())).append(" at ").append(Html.timeElement(last.finishedAt()))
                        .append('.');
            }
        } else {
            List<StageEntry> entered = stages.getOrDefault(last.id(), List.of());
            Instant since = entered.isEmpty() ? last.startedAt() : entered.get(entered.size() - 1).enteredAt();
            html.append("Cycle ").append(Html.link("/runs/" + last.id(), "#" + last.id())).append(" (")
                    .append(Html.esc(last.trigger())).append(") is in <strong>")
                    .append(Html.esc(last.stage() == null ? "lock" : last.stage())).append("</strong> for ")
                    .append(Html.duration(Duration.between(since, now))).append("; running for ")
                    .append(Html.duration(Duration.between(last.startedAt(), now))).append('.');
        }
        html.append("</p>");
    }

    /** The same lines as {@code fleet status}: a dash where nothing says. */
    private void fleetTable(StringBuilder html, FleetStatus.Report report) {
        html.append("<h2>Fleet</h2><p class=\"muted\">").append(Html.esc(report.branch())).append(" at ")
                .append(commit(report.head(), null)).append("</p>");
        html.append("<div class=\"scroll\"><table id=\"fleet\"><thead><tr><th>host</th><th>deployed</th>"
                + "<th>behind</th><th>released</th><th class=\"wide\">last outcome</th></tr></thead><tbody>");
        for (FleetStatus.HostLine l : report.hosts()) {
            FleetStatus.Outcome o = l.lastOutcome();
            html.append("<tr><td>").append(Html.esc(l.host())).append("</td><td>")
                    .append(l.deployed() == null ? "-" : commit(l.deployed(), null)).append("</td><td>")
                    .append(l.behind() == null ? "-" : l.behind()).append("</td><td>")
                    .append(l.released() == null ? "-" : commit(l.released(), null)).append("</td><td class=\"wide\">");
            if (o == null) {
                html.append("-");
            } else {
                html.append(Html.badge(o.state())).append(" on ").append(commit(o.commit(), null));
                if (o.description() != null && !o.description().isBlank()) {
                    html.append(" <span class=\"muted\">").append(Html.esc(o.description())).append("</span>");
                }
            }
            html.append("</td></tr>");
        }
        html.append("</tbody></table></div>");
    }

    private void cycleTable(StringBuilder html, List<CycleRecord> cycles, Map<Long, List<StageEntry>> stages,
            Map<Long, CycleCommit> commits, List<CiRunRecord> recentRuns, Instant now) {
        html.append("<div class=\"scroll\"><table id=\"cycles\"><thead><tr><th>#</th><th>started</th>"
                + "<th class=\"wide\">trigger</th><th>commit</th><th>outcome</th><th>stages</th><th>CI</th></tr></thead><tbody>");
        for (CycleRecord c : cycles) {
            html.append("<tr><td>").append(Html.link("/runs/" + c.id(), String.valueOf(c.id()))).append("</td><td>")
                    .append(Html.timeElement(c.startedAt())).append("</td><td class=\"wide\">").append(Html.esc(c.trigger()))
                    .append("</td><td>");
            if (c.commit() != null) {
                html.append(commit(c.commit(), commits.get(c.id())));
            }
            html.append("</td><td>").append(Html.badge(c.outcome().word()));
            if (c.outcome().isFailure() && c.stage() != null) {
                html.append(" <span class=\"muted\">in ").append(Html.esc(c.stage())).append("</span>");
            }
            html.append("</td><td class=\"stages\">").append(stageDurations(c, stages.getOrDefault(c.id(), List.of()), now))
                    .append("</td><td>");
            for (CiRunRecord r : runs.runsOf(c, recentRuns)) {
                html.append("<div>").append(Html.badge(r.outcome()));
                if (r.summary() != null) {
                    html.append(" <span class=\"muted\">").append(Html.esc(r.summary())).append("</span>");
                }
                html.append("</div>");
            }
            html.append("</td></tr>");
        }
        html.append("</tbody></table></div>");
    }

    /** Each stage with how long the cycle spent in it, the last one until the cycle ended (or now). */
    static String stageDurations(CycleRecord c, List<StageEntry> entered, Instant now) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < entered.size(); i++) {
            Instant end = i + 1 < entered.size() ? entered.get(i + 1).enteredAt()
                    : c.finishedAt() == null ? now : c.finishedAt();
            b.append("<span>").append(Html.esc(entered.get(i).stage())).append(' ')
                    .append(Html.duration(Duration.between(entered.get(i).enteredAt(), end))).append("</span>");
        }
        Instant end = c.finishedAt() == null ? now : c.finishedAt();
        b.append("<span class=\"muted\">total ").append(Html.duration(Duration.between(c.startedAt(), end)))
                .append("</span>");
        return b.toString();
    }

    private Optional<String> booted() {
        Path link = settings.deploy().reboot().bootedSystem();
        try {
            return Optional.of(link.toRealPath().toString());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static String code(String s) {
        return s == null ? "" : "<code>" + Html.esc(s) + "</code>";
    }

    private static void fact(StringBuilder html, String name, String valueHtml) {
        html.append("<tr><th>").append(Html.esc(name)).append("</th><td>").append(valueHtml).append("</td></tr>");
    }
}
