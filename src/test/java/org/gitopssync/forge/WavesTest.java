package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleRequest;
import org.gitopssync.reconcile.Trigger;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.MutableClock;
import org.gitopssync.testing.Processes;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * [fleet] after and soak with real git and nix, the GitHub API double as the ledger: what canaries
 * posted there decides whether, and when, this host ("demo") deploys a commit.
 */
class WavesTest {

    private static final String TOKEN = "ghp_waves-test-token";
    private static final String REPO = "acme/fleet";

    @TempDir
    Path tmp;

    final MutableClock clock = MutableClock.atDefault();
    GitHubApiDouble github;
    DemoFlakeRepo repo;
    AgentFixture fixture;
    RecordingCommandRunner runner;

    @BeforeEach
    void setUp() {
        github = new GitHubApiDouble(clock, TOKEN);
        repo = DemoFlakeRepo.create(tmp);
        fixture = new AgentFixture(tmp, repo).extra("""
                [[forges]]
                type = "github"
                api_url = "%s"
                repository = "%s"
                credentials = { env = "GH_TOKEN" }

                [fleet]
                after = ["canary-1", "canary-2"]
                soak = "15m"
                """.formatted(github.baseUrl(), REPO));
        runner = new RecordingCommandRunner();
    }

    @AfterEach
    void tearDown() {
        github.close();
    }

    private CycleReport cycle() {
        try (Agent agent = Agent.open(fixture.load(Map.of()).settings(), Map.of("GH_TOKEN", TOKEN), runner, clock)) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }

    private void canary(String host, String sha, String state, String description) {
        github.postedElsewhere(REPO, sha, "gitops-sync/deploy/" + host, state, description);
    }

    /** The last state and description this agent posted per context on {@code sha}. */
    private Map<String, String> ours(String sha) {
        Map<String, String> out = new LinkedHashMap<>();
        for (GitHubApiDouble.Posted p : github.statuses()) {
            if (p.sha().equals(sha) && p.token().equals(TOKEN)) {
                out.put(p.field("context"), p.field("state") + ": " + p.field("description"));
            }
        }
        return out;
    }

    private Map<String, String> oursOnce(String sha, String expectedDeploy) throws InterruptedException {
        return oursOnce(sha, expectedDeploy::equals);
    }

    /** Our statuses on {@code sha} once our deploy status satisfies {@code expected} (they go out through a queue). */
    private Map<String, String> oursOnce(String sha, Predicate<String> expected)
            throws InterruptedException {
        boolean seen = Processes.await(() -> {
            String deploy = ours(sha).get("gitops-sync/deploy/demo");
            return deploy != null && expected.test(deploy);
        });
        assertThat(seen).as("our deploy status on %s, posted: %s", sha, ours(sha)).isTrue();
        return ours(sha);
    }

    private boolean deployedAnything() {
        return Files.exists(fixture.profile()) || runner.ran("nix-env");
    }

    @Test
    void deploysOnlyAfterEveryCanarySucceededAndSoaked() throws Exception {
        String sha = repo.head();

        CycleReport none = cycle();
        assertThat(none.outcome()).as(none.summary()).isEqualTo(CycleOutcome.WAITING);
        assertThat(none.failed()).as("a wait is not a failure").isFalse();
        assertThat(none.summary()).startsWith("waiting for canary-1, canary-2: canary-1 has not reported a deploy of it");
        assertThat(oursOnce(sha, "pending: waiting for canary-1, canary-2"))
                .as("nothing else is posted: nothing was evaluated or built").containsOnlyKeys("gitops-sync/deploy/demo");
        assertThat(runner.commands()).as("no nix call while waiting").isEmpty();
        assertThat(deployedAnything()).isFalse();

        canary("canary-1", sha, "pending", "waiting for the build");
        clock.advance(Duration.ofMinutes(4));
        canary("canary-1", sha, "success", "deployed as generation 7");
        clock.advance(Duration.ofMinutes(1));
        canary("canary-2", sha, "success", "running this system already");
        clock.advance(Duration.ofMinutes(10));

        CycleReport soaking = cycle();
        assertThat(soaking.outcome()).as(soaking.summary()).isEqualTo(CycleOutcome.WAITING);
        assertThat(soaking.summary()).startsWith("waiting for canary-1, canary-2: canary-1 deployed it 11m ago,"
                + " soak is 15m (until 2025-06-02T10:19:00Z); canary-2 deployed it 10m ago");
        assertThat(deployedAnything()).isFalse();

        clock.advance(Duration.ofMinutes(4));
        CycleReport half = cycle();
        assertThat(half.summary()).as("canary-1 has soaked; canary-2 not yet")
                .startsWith("waiting for canary-2: canary-2 deployed it 14m ago");
        assertThat(oursOnce(sha, "pending: waiting for canary-2")).containsOnlyKeys("gitops-sync/deploy/demo");

        clock.advance(Duration.ofMinutes(1));
        CycleReport deployed = cycle();
        assertThat(deployed.outcome()).as(deployed.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(oursOnce(sha, "success: deployed as generation 1")).containsKeys("gitops-sync/eval",
                "gitops-sync/build");
        assertThat(Files.exists(fixture.profile())).isTrue();
    }

    @Test
    void aFailedCanaryStopsTheWaveForThatCommitOnly() throws Exception {
        String sha = repo.head();
        canary("canary-1", sha, "success", "deployed as generation 3");
        canary("canary-2", sha, "failure", "rolled back: http probe failed");
        clock.advance(Duration.ofHours(1));

        CycleReport stopped = cycle();
        assertThat(stopped.outcome()).as(stopped.summary()).isEqualTo(CycleOutcome.REFUSED);
        assertThat(stopped.summary()).contains(sha.substring(0, 12) + " is not deployed here: the wave stopped: canary-2"
                + " reported failure (\"rolled back: http probe failed\")").contains("staying on the deployed commit");
        assertThat(oursOnce(sha, d -> d.startsWith("failure: refused: " + sha.substring(0, 12)
                + " is not deployed here: the wave stopped: canary-2 reported failure")))
                .as("hosts after this one stop too").containsOnlyKeys("gitops-sync/deploy/demo");
        assertThat(deployedAnything()).isFalse();

        // the canary recovers later: this commit is still never taken
        canary("canary-2", sha, "success", "deployed as generation 4");
        clock.advance(Duration.ofHours(1));
        CycleReport later = cycle();
        assertThat(later.outcome()).as(later.summary()).isEqualTo(CycleOutcome.UNCHANGED);
        assertThat(later.summary()).contains("the wave stopped: canary-2 reported failure");
        assertThat(deployedAnything()).isFalse();

        // a newer commit starts a new wave
        String next = repo.commitMotd("second wave");
        CycleReport fresh = cycle();
        assertThat(fresh.outcome()).as(fresh.summary()).isEqualTo(CycleOutcome.WAITING);
        assertThat(fresh.commit()).isEqualTo(next);
        assertThat(fresh.summary()).startsWith("waiting for canary-1, canary-2: ");
    }

    @Test
    void anUnreachableForgeIsAWaitAndNothingIsDeployed() {
        String sha = repo.head();
        canary("canary-1", sha, "success", "deployed");
        canary("canary-2", sha, "success", "deployed");
        clock.advance(Duration.ofHours(1));
        github.stop();

        CycleReport r = cycle();

        assertThat(r.outcome()).as(r.summary()).isEqualTo(CycleOutcome.WAITING);
        assertThat(r.failed()).isFalse();
        assertThat(r.summary()).startsWith("waiting for canary-1, canary-2: the forge's deploy statuses of "
                + sha.substring(0, 12) + " cannot be read (GitHub commit statuses").contains("no answer")
                .endsWith("nothing deployed, the next cycle asks again").doesNotContain(TOKEN);
        assertThat(runner.commands()).isEmpty();
        assertThat(deployedAnything()).isFalse();
    }

    @Test
    void aCanarysSuccessOnALaterPageCounts() {
        String sha = repo.head();
        canary("canary-1", sha, "success", "deployed");
        canary("canary-2", sha, "success", "deployed");
        clock.advance(Duration.ofMinutes(20));
        // a big fleet: every other host's status on the same commit, newer than the canaries'
        for (int i = 0; i < 150; i++) {
            github.postedElsewhere(REPO, sha, "gitops-sync/deploy/web-" + i, "pending", "waiting for canary-1, canary-2");
        }

        CycleReport r = cycle();

        assertThat(r.outcome()).as(r.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(github.requests("GET", "/repos/acme/fleet/commits/" + sha + "/statuses")).hasSize(2);
    }
}
