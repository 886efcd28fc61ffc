package org.gitopssync.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gitopssync.ci.AttributeResult;
import org.gitopssync.ci.CiResultStore;
import org.gitopssync.ci.CiStatus;
import org.gitopssync.ci.CiTarget;
import org.gitopssync.config.Settings;
import org.gitopssync.config.SettingsLoader;
import org.gitopssync.fleet.FleetStatus;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.DeploymentRecord;
import org.gitopssync.state.SourceMark;
import org.gitopssync.state.StateStore;
import org.gitopssync.state.Suspension;
import org.gitopssync.state.Suspensions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the status page says about states a demo cycle does not reach: a running cycle, suspension, drift, reboot. */
class StatusPageTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

    @TempDir
    Path tmp;

    StateStore store;
    Settings settings;

    @BeforeEach
    void open() throws Exception {
        Path config = Files.writeString(tmp.resolve("gitops.toml"), """
                hostname = "web1"
                state_dir = "%s"

                [repository]
                url = "https://github.com/acme/fleet.git"
                """.formatted(tmp.resolve("state")));
        settings = new SettingsLoader(Map.of()).load(config).settings();
        store = StateStore.open(settings.stateDir());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String page(String path, Instant now) {
        return new RunPages(store, settings, Clock.fixed(now, ZoneOffset.UTC)).page(path).orElseThrow();
    }

    @Test
    void aDeployedCommitLinksToTheForgeAndARunningCycleShowsItsStageAndElapsedTime() {
        long deployed = store.startCycle("webhook", "main", T0);
        store.setCycleCommit(deployed, SHA, "web1: open port 443", "Alice <alice@example.org>");
        store.setCycleStage(deployed, "source");
        store.recordDeployment(new DeploymentRecord(0, deployed, SHA, "switch", "profile", "/nix/store/abc-system", 7,
                DeploymentRecord.Status.SUCCEEDED, null, T0, T0.plusSeconds(60)));
        store.finishCycle(deployed, CycleOutcome.DEPLOYED, "deploy", null, T0.plusSeconds(60));
        long running = store.startCycle("schedule", "main", Instant.now());
        store.setCycleStage(running, "build");

        String html = page("/", Instant.now().plus(Duration.ofMinutes(3)));

        assertThat(html).contains("href=\"https://github.com/acme/fleet/commit/" + SHA + "\"",
                "web1: open port 443", "Alice &lt;alice@example.org&gt;");
        assertThat(html).containsPattern("Cycle <a href=\"/runs/" + running + "\">#" + running
                + "</a> \\(schedule\\) is in <strong>build</strong> for 3m \\d+s");
    }

    @Test
    void suspensionDriftAndAPendingRebootAreSaidWithTheirReasons() {
        new Suspensions(store).suspend(new Suspension("drift", T0, "the running system is not the deployed one",
                "/nix/store/expected-system", "/nix/store/hand-made-system"));
        store.setMark(SourceMark.REBOOT_PENDING, SHA, "the kernel changed", T0);

        String html = page("/", T0.plusSeconds(5));

        assertThat(html).contains("<strong>Suspended</strong> by drift", "the running system is not the deployed one",
                "<strong>Drift</strong>", "/nix/store/hand-made-system", "<strong>Reboot needed</strong>",
                "the kernel changed");
    }

    @Test
    void attributeNamesAndErrorsFromTheRepositoryAreEscapedAndAFailureLinksToItsLog() throws Exception {
        CiResultStore ci = new CiResultStore(store);
        long run = ci.startRun("main", SHA, "git+file:///x", T0);
        Path log = Files.writeString(tmp.resolve("build.log"), "<b>compiler output</b>\n");
        String attribute = "checks.x86_64-linux.\"<script>alert(1)</script>\"";
        ci.finishRun(run, "failed", "1 failed", T0.plusSeconds(9), List.of(new AttributeResult(
                new CiTarget(CiTarget.Kind.CHECK, "<script>alert(1)</script>", attribute), null, Map.of(),
                CiStatus.FAILED, Duration.ofSeconds(9), log, "error: <b>boom</b>", List.of())));

        String html = page("/", T0.plusSeconds(10));

        assertThat(html).doesNotContain("<script>alert", "<b>").contains("&lt;script&gt;alert(1)&lt;/script&gt;",
                "error: &lt;b&gt;boom&lt;/b&gt;");
        String link = CiRunView.logPath(run, attribute);
        assertThat(html).contains("href=\"" + Html.esc(link) + "\"");
        assertThat(page(link, T0)).contains("&lt;b&gt;compiler output&lt;/b&gt;").doesNotContain("<b>");
        assertThat(new RunPages(store, settings).page("/runs/ci/" + run + "/log/..%2F..%2Fetc%2Fpasswd")).isEmpty();
    }

    @Test
    void aBuildersPageListsTheFleetTableEscaped() {
        String behind = "fedcba9876543210fedcba9876543210fedcba98";
        FleetStatus.Report report = new FleetStatus.Report("main", SHA, List.of(
                new FleetStatus.HostLine("web-1", SHA, 0, SHA, 0, new FleetStatus.Outcome("success", "deployed", SHA, T0)),
                new FleetStatus.HostLine("web-2", behind, 2, null, null, new FleetStatus.Outcome("failure",
                        "rolled back: <script>alert(1)</script>", SHA, T0)),
                new FleetStatus.HostLine("web-3", null, null, null, null, null)));

        String html = new RunPages(store, settings, Clock.fixed(T0, ZoneOffset.UTC), () -> Optional.of(report))
                .page("/").orElseThrow();
        String table = html.substring(html.indexOf("<table id=\"fleet\">"));
        table = table.substring(0, table.indexOf("</table>"));

        assertThat(html).contains("<h2>Fleet</h2>");
        assertThat(table).contains("<td>web-2</td>", "fedcba987654", "<td>2</td>", "o-failure",
                "rolled back: &lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
        assertThat(table).contains("<tr><td>web-3</td><td>-</td><td>-</td><td>-</td><td class=\"wide\">-</td></tr>");
        assertThat(new RunPages(store, settings, Clock.fixed(T0, ZoneOffset.UTC)).page("/").orElseThrow())
                .doesNotContain("<h2>Fleet</h2>");
    }
}
