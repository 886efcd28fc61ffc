package org.gitopssync.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.config.WebSettings;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleRequest;
import org.gitopssync.reconcile.Trigger;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.DeploymentRecord;
import org.gitopssync.state.SourceMark;
import org.gitopssync.state.StateStore;
import org.gitopssync.state.Suspension;
import org.gitopssync.state.Suspensions;
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

    @Test
    void rollbacksRebootAndSuspensionAreWhatTheStateStoreSays() {
        try (StateStore store = StateStore.open(tmp.resolve("state"))) {
            AgentMetrics metrics = new AgentMetrics(store, "1.2.3");
            PrometheusText m = PrometheusText.parse(metrics.scrape());
            assertThat(m.family("gitops_sync_build_info")).containsExactly(
                    Map.entry("gitops_sync_build_info{version=\"1.2.3\"}", 1.0));
            assertThat(m.value("gitops_sync_last_cycle_timestamp_seconds")).as("never").isZero();
            assertThat(m.family("gitops_sync_deployment_info")).isEmpty();

            Instant now = Instant.parse("2026-01-02T03:04:05Z");
            long cycle = store.startCycle("timer", "main", now);
            store.recordDeployment(new DeploymentRecord(0, cycle, "a".repeat(40), "switch", "profile", "/nix/store/x",
                    4, DeploymentRecord.Status.ROLLED_BACK, "health gate", now, now));
            store.finishCycle(cycle, CycleOutcome.FAILED, "deploy", "rolled back", now);
            store.setMark(SourceMark.REBOOT_PENDING, "b".repeat(40), "boot", now);
            new Suspensions(store).suspend(new Suspension("gitops-sync", now, "drift", "/nix/store/x", "/nix/store/y"));

            m = PrometheusText.parse(metrics.scrape());
            assertThat(m.value("gitops_sync_rollbacks_total")).isEqualTo(1);
            assertThat(m.value("gitops_sync_reboot_needed")).isEqualTo(1);
            assertThat(m.value("gitops_sync_suspended")).isEqualTo(1);
            assertThat(m.value("gitops_sync_drift")).isEqualTo(1);
            assertThat(m.value("gitops_sync_last_failed{stage=\"deploy\"}")).isEqualTo(1);
            assertThat(m.value("gitops_sync_last_cycle_timestamp_seconds")).isEqualTo(now.getEpochSecond());
            assertThat(m.value("gitops_sync_last_success_timestamp_seconds")).isZero();
            assertThat(m.value("gitops_sync_cycles_total{outcome=\"failed\",trigger=\"timer\"}")).isEqualTo(1);
        }
    }

    private static long narinfos(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".narinfo")).count();
        }
    }

    /** {@code gitops_sync_cycle_duration_seconds_count} per stage label. */
    private static Map<String, Double> stageCounts(PrometheusText m) {
        Map<String, Double> out = new TreeMap<>();
        m.family("gitops_sync_cycle_duration_seconds_count").forEach((k, v) ->
                out.put(k.replaceAll(".*stage=\"([^\"]+)\".*", "$1"), v));
        return out;
    }

    private static long finishedAt(Agent agent, CycleReport report) {
        return agent.store().cycle(report.cycleId()).orElseThrow().finishedAt().getEpochSecond();
    }

    @Test
    void aScrapeTellsWhatDeployedUnchangedAndFailedCyclesDid() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        Path cache = tmp.resolve("binary-cache");
        AgentFixture fixture = new AgentFixture(tmp, repo).extra("""
                [web]
                enable = true

                [[caches]]
                id = "local"
                type = "nix-copy"
                destination = "file://%s"
                permissions = { branches = ["main"] }
                """.formatted(cache));
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
            assertThat(stageCounts(m)).as("a deployed cycle went through every stage once")
                    .isEqualTo(Map.of("source", 1.0, "secrets", 1.0, "build", 1.0, "cache", 1.0, "deploy", 1.0,
                            "cycle", 1.0));
            assertThat(m.value("gitops_sync_cycle_duration_seconds_sum{stage=\"build\"}")).isPositive();
            assertThat(m.value("gitops_sync_cycle_duration_seconds_bucket{stage=\"build\",le=\"+Inf\"}")).isEqualTo(1);
            assertThat(m.value("gitops_sync_forge_outbox_depth")).as("no forge configured").isZero();
            assertThat(m.family("gitops_sync_forge_statuses_total")).isEmpty();
            assertThat(m.value("gitops_sync_rollbacks_total")).isZero();
            assertThat(m.value("gitops_sync_suspended")).isZero();
            assertThat(m.value("gitops_sync_drift")).isZero();
            assertThat(m.value("gitops_sync_reboot_needed")).isZero();
            // the demo flake has four attributes: the system and three checks, built or already in the store
            assertThat(m.value("gitops_sync_ci_attributes_total{status=\"built\"}")
                    + m.value("gitops_sync_ci_attributes_total{status=\"cached\"}")).isEqualTo(4);
            assertThat(m.value("gitops_sync_ci_attributes_total{status=\"failed\"}")).isZero();
            assertThat(m.value("gitops_sync_cache_paths_pushed_total{cache=\"local\"}")).as("one per narinfo written")
                    .isEqualTo(narinfos(cache)).isPositive();

            CycleReport unchanged = cycle(agent);
            assertThat(unchanged.outcome()).as(unchanged.summary()).isEqualTo(CycleOutcome.UNCHANGED);
            m = scrape(server);
            assertThat(m.value("gitops_sync_cycles_total{outcome=\"deployed\",trigger=\"manual\"}")).isEqualTo(1);
            assertThat(m.value("gitops_sync_cycles_total{outcome=\"unchanged\",trigger=\"manual\"}")).isEqualTo(1);
            assertThat(m.value("gitops_sync_last_success_timestamp_seconds")).isEqualTo(finishedAt(agent, unchanged));
            assertThat(stageCounts(m)).as("an unchanged cycle ends in source")
                    .isEqualTo(Map.of("source", 2.0, "secrets", 1.0, "build", 1.0, "cache", 1.0, "deploy", 1.0,
                            "cycle", 2.0));

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
            assertThat(stageCounts(m)).as("a cycle failing in build never reaches cache or deploy")
                    .isEqualTo(Map.of("source", 3.0, "secrets", 2.0, "build", 2.0, "cache", 1.0, "deploy", 1.0,
                            "cycle", 3.0));
            assertThat(m.family("gitops_sync_deployment_info")).as("the host still runs the first commit")
                    .containsOnlyKeys("gitops_sync_deployment_info{commit=\"" + first
                            + "\",generation=\"1\",operation=\"switch\"}");
        } finally {
            vertx.close();
        }
    }
}
