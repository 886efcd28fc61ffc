package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.Sleeper;
import org.gitopssync.app.Agent;
import org.gitopssync.metrics.AgentMetrics;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleRequest;
import org.gitopssync.reconcile.Trigger;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.MutableClock;
import org.gitopssync.testing.PrometheusText;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gitops_sync_forge_statuses_total} and {@code gitops_sync_forge_outbox_depth} come from the state
 * database: what one-shot processes delivered, had refused or left behind is what the next scrape says.
 */
class ForgeStatusMetricsTest {

    private static final String TOKEN = "ghp_metrics-test-token";

    @TempDir
    Path tmp;

    final GitHubApiDouble github = new GitHubApiDouble(MutableClock.atDefault(), TOKEN);

    @AfterEach
    void tearDown() {
        github.close();
    }

    /** A scrape by a process that ran no cycle: only the state database speaks. */
    private static PrometheusText scrape(Path stateDir) {
        try (StateStore store = StateStore.open(stateDir)) {
            return PrometheusText.parse(new AgentMetrics(store, "test").scrape());
        }
    }

    private static CycleReport cycle(AgentFixture fixture, String token) {
        // closing the agent waits for its status queue, as `sync --once` does before it exits
        try (Agent agent = Agent.open(fixture.load(Map.of()).settings(), Map.of("GH_TOKEN", token),
                new RecordingCommandRunner(), Clock.systemUTC())) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }

    @Test
    void deliveredRefusedAndLeftBehindStatusesAreCountedAcrossProcesses() {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        AgentFixture fixture = new AgentFixture(tmp, repo).extra("""
                [[forges]]
                type = "github"
                api_url = "%s"
                repository = "acme/fleet"
                credentials = { env = "GH_TOKEN" }
                """.formatted(github.baseUrl()));

        CycleReport deployed = cycle(fixture, TOKEN);
        assertThat(deployed.outcome()).as(deployed.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        int accepted = github.statuses().size();
        assertThat(accepted).as("pending and final statuses of eval, build, cache, deploy").isGreaterThanOrEqualTo(4);
        PrometheusText m = scrape(fixture.stateDir());
        assertThat(m.family("gitops_sync_forge_statuses_total")).containsExactly(
                Map.entry("gitops_sync_forge_statuses_total{forge=\"github\",result=\"delivered\"}", (double) accepted));
        assertThat(m.value("gitops_sync_forge_outbox_depth")).isZero();

        // a revoked token: GitHub answers 401, which no retry mends, so every status of the cycle fails
        repo.commitMotd("Refused statuses.");
        CycleReport refused = cycle(fixture, "ghp_revoked");
        assertThat(refused.outcome()).as(refused.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(github.statuses()).as("the forge accepted nothing more").hasSize(accepted);
        m = scrape(fixture.stateDir());
        assertThat(m.value("gitops_sync_forge_statuses_total{forge=\"github\",result=\"delivered\"}"))
                .isEqualTo(accepted);
        assertThat(m.value("gitops_sync_forge_statuses_total{forge=\"github\",result=\"failed\"}"))
                .isGreaterThanOrEqualTo(4);
        assertThat(m.value("gitops_sync_forge_outbox_depth")).as("refused for good: not kept").isZero();

        // a queue already closing keeps a late status in the outbox for the next process and counts it dropped
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            StatusReporter neverCalled = new StatusReporter() {
                @Override
                public ForgeKind forge() {
                    return ForgeKind.GITHUB;
                }

                @Override
                public void report(RepositoryCoordinates repository, CommitStatus status) {
                    throw new AssertionError("a closed queue sends nothing");
                }
            };
            StatusQueue queue = new StatusQueue(neverCalled,
                    StatusQueue.Settings.defaults(), Clock.systemUTC(), Sleeper.SYSTEM,
                    new StoredStatusOutbox(store, ForgeKind.GITHUB, Clock.systemUTC()));
            queue.close(Duration.ZERO);
            queue.submit(new RepositoryCoordinates("acme/fleet"), new CommitStatus(repo.head(), "gitops-sync/deploy/demo",
                    StatusState.SUCCESS, "late", null));
        }
        m = scrape(fixture.stateDir());
        assertThat(m.value("gitops_sync_forge_statuses_total{forge=\"github\",result=\"dropped\"}")).isEqualTo(1);
        assertThat(m.value("gitops_sync_forge_outbox_depth")).isEqualTo(1);

        // the next cycle sends it, even though nothing changed
        CycleReport unchanged = cycle(fixture, TOKEN);
        assertThat(unchanged.outcome()).isEqualTo(CycleOutcome.UNCHANGED);
        m = scrape(fixture.stateDir());
        assertThat(m.value("gitops_sync_forge_statuses_total{forge=\"github\",result=\"delivered\"}"))
                .isEqualTo(accepted + 1);
        assertThat(m.value("gitops_sync_forge_outbox_depth")).isZero();
    }
}
