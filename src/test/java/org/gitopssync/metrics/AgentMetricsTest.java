package org.gitopssync.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.config.WebSettings;
import org.gitopssync.reconcile.Agent;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleRequest;
import org.gitopssync.reconcile.Trigger;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.PrometheusText;
import org.gitopssync.testing.RecordingCommandRunner;
import org.gitopssync.web.RunPages;
import org.gitopssync.web.WebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole cycles with real git, nix and SQLite, scraped over real HTTP from the daemon's {@code /metrics}. */
class AgentMetricsTest {

    @TempDir
    Path tmp;

    private static CycleReport cycle(Agent agent) {
        return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
    }

    private static PrometheusText scrape(WebServer server) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return PrometheusText.parse(r.body());
    }

    private static long finishedAt(Agent agent, CycleReport report) {
        return agent.store().cycle(report.cycleId()).orElseThrow().finishedAt().getEpochSecond();
    }

    @Test
    void aScrapeTellsWhatDeployedUnchangedAndFailedCyclesDid() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        // [web] enabled: the agent observes cycles for metrics only where something reads them
        AgentFixture fixture = new AgentFixture(tmp, repo).extra("[web]\nenable = true\n");
        String first = repo.head();
        Vertx vertx = Vertx.vertx();
        try (Agent agent = fixture.open(new RecordingCommandRunner());
                WebServer server = WebServer.start(vertx, new WebSettings(true, "127.0.0.1", 0, null),
                        new WebServer.Routes(() -> null, new RunPages(agent.store()), Map.of(), null,
                                agent.metrics()::scrape))) {
            CycleReport deployed = cycle(agent);
            assertThat(deployed.outcome()).as(deployed.summary()).isEqualTo(CycleOutcome.DEPLOYED);

            PrometheusText m = scrape(server);
            assertThat(m.family("gitops_sync_build_info")).hasSize(1).containsValue(1.0);
            assertThat(m.family("gitops_sync_cycles_total"))
                    .containsExactly(Map.entry("gitops_sync_cycles_total{outcome=\"deployed\",trigger=\"manual\"}", 1.0));
            assertThat(m.family("gitops_sync_deployment_info")).containsExactly(Map.entry(
                    "gitops_sync_deployment_info{commit=\"" + first + "\",generation=\"1\",operation=\"switch\"}", 1.0));
            assertThat(m.value("gitops_sync_last_cycle_timestamp_seconds")).isEqualTo(finishedAt(agent, deployed));
            assertThat(m.value("gitops_sync_last_success_timestamp_seconds")).isEqualTo(finishedAt(agent, deployed));
            assertThat(m.family("gitops_sync_last_failed")).hasSize(5).allSatisfy((k, v) -> assertThat(v).isZero());
            assertThat(m.value("gitops_sync_cycle_duration_seconds_count{stage=\"cycle\"}")).isEqualTo(1);
            assertThat(m.value("gitops_sync_rollbacks_total")).isZero();
            assertThat(m.value("gitops_sync_suspended")).isZero();
            assertThat(m.value("gitops_sync_drift")).isZero();
            assertThat(m.value("gitops_sync_reboot_needed")).isZero();
            // the demo flake has four attributes: the system and three checks, built or already in the store
            assertThat(m.value("gitops_sync_ci_attributes_total{status=\"built\"}")
                    + m.value("gitops_sync_ci_attributes_total{status=\"cached\"}")).isEqualTo(4);
            assertThat(m.value("gitops_sync_ci_attributes_total{status=\"failed\"}")).isZero();

            CycleReport unchanged = cycle(agent);
            assertThat(unchanged.outcome()).as(unchanged.summary()).isEqualTo(CycleOutcome.UNCHANGED);
            m = scrape(server);
            assertThat(m.value("gitops_sync_cycles_total{outcome=\"deployed\",trigger=\"manual\"}")).isEqualTo(1);
            assertThat(m.value("gitops_sync_cycles_total{outcome=\"unchanged\",trigger=\"manual\"}")).isEqualTo(1);
            assertThat(m.value("gitops_sync_last_success_timestamp_seconds")).isEqualTo(finishedAt(agent, unchanged));
            assertThat(m.value("gitops_sync_cycle_duration_seconds_count{stage=\"cycle\"}")).isEqualTo(2);

            repo.edit("flake.nix", "[ -n \"$first\" ]", "echo the motd check fails on purpose >&2; exit 1");
            repo.commit("break a check");
            CycleReport failed = cycle(agent);
            assertThat(failed.outcome()).as(failed.summary()).isEqualTo(CycleOutcome.FAILED);
            m = scrape(server);
            assertThat(m.value("gitops_sync_cycles_total{outcome=\"failed\",trigger=\"manual\"}")).isEqualTo(1);
            assertThat(m.value("gitops_sync_last_failed{stage=\"build\"}")).isEqualTo(1);
            assertThat(m.family("gitops_sync_last_failed").values().stream().mapToDouble(Double::doubleValue).sum())
                    .isEqualTo(1);
            assertThat(m.value("gitops_sync_last_cycle_timestamp_seconds")).isEqualTo(finishedAt(agent, failed));
            assertThat(m.value("gitops_sync_last_success_timestamp_seconds")).isEqualTo(finishedAt(agent, unchanged));
            assertThat(m.value("gitops_sync_ci_attributes_total{status=\"failed\"}")).isEqualTo(1);
            assertThat(m.family("gitops_sync_deployment_info")).as("the host still runs the first commit")
                    .containsOnlyKeys("gitops_sync_deployment_info{commit=\"" + first
                            + "\",generation=\"1\",operation=\"switch\"}");
        } finally {
            vertx.close();
        }
    }
}
