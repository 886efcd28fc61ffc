package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.fleet.NixKeys;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleRequest;
import org.gitopssync.reconcile.Trigger;
import org.gitopssync.review.PullRequestJob;
import org.gitopssync.review.PullRequestOutcome;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.GitCli;
import org.gitopssync.testing.MutableClock;
import org.gitopssync.testing.Processes;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What fleet roles show on the forge (a GitHub double): pull requests publish nothing; a waiting host is pending. */
class FleetReportingTest {

    private static final String TOKEN = "ghp_fleet-reporting-token";

    @TempDir
    Path tmp;

    final MutableClock clock = MutableClock.atDefault();
    GitHubApiDouble github;
    DemoFlakeRepo repo;
    Path releases;
    NixKeys.KeyPair builderKey;

    @BeforeEach
    void setUp() {
        github = new GitHubApiDouble(clock, TOKEN);
        repo = DemoFlakeRepo.create(tmp);
        releases = tmp.resolve("releases");
        builderKey = NixKeys.generate(tmp.resolve("keys"), "builder-1");
    }

    @AfterEach
    void tearDown() {
        github.close();
    }

    private String forge() {
        return """
                [[forges]]
                type = "github"
                api_url = "%s"
                repository = "acme/fleet"
                credentials = { env = "GH_TOKEN" }

                [pull_requests]
                enable = true
                """.formatted(github.baseUrl());
    }

    private Agent agent(AgentFixture fixture) {
        return Agent.open(fixture.load(Map.of()).settings(), Map.of("GH_TOKEN", TOKEN), new RecordingCommandRunner(),
                Clock.systemUTC());
    }

    private Map<String, String> finalStatuses(String sha) {
        Map<String, String> out = new LinkedHashMap<>();
        for (GitHubApiDouble.Posted p : github.statuses()) {
            if (p.sha().equals(sha)) {
                out.put(p.field("context"), p.field("state") + ": " + p.field("description"));
            }
        }
        return out;
    }

    private long records() throws IOException {
        if (!Files.isDirectory(releases)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(releases)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aPullRequestCheckedByABuilderNeverPublishesARecord() throws IOException {
        AgentFixture builder = new AgentFixture(tmp.resolve("builder"), repo).hostname("builder-1").extra(forge() + """

                [fleet]
                role = "builder"
                signing_key = { file = "%s" }
                releases = "file://%s"
                """.formatted(builderKey.secretFile(), releases));
        GitCli.run(repo.dir(), "checkout", "-q", "-b", "feature/greeter");
        repo.edit("flake.nix", "version = \"2.1\";", "version = \"2.2\";");
        String head = repo.commit("bump the greeter");
        GitCli.run(repo.dir(), "update-ref", "refs/pull/7/head", head);
        GitCli.run(repo.dir(), "checkout", "-q", "main");

        PullRequestOutcome outcome;
        try (Agent agent = agent(builder)) {
            outcome = agent.pullRequests().run(new PullRequestJob(ForgeKind.GITHUB, 7, head, "feature/greeter", "main",
                    false, "alice"), Cancellation.none());
        }

        assertThat(outcome.state()).as(outcome.ciSummary()).isEqualTo(PullRequestOutcome.State.PASSED);
        assertThat(records()).as("no release record for a pull request").isZero();
        try (Agent agent = agent(builder)) {
            CycleReport main = agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
            assertThat(main.outcome()).as(main.summary()).isEqualTo(CycleOutcome.BUILT);
        }
        assertThat(releases.resolve("demo/" + repo.head() + ".json")).as("the branch is released").exists();
        assertThat(releases.resolve("demo/" + head + ".json")).doesNotExist();
    }

    @Test
    void aHostWaitingForItsBuilderShowsAPendingDeployStatusAndPostsNoBuildStatus() throws InterruptedException {
        AgentFixture host = new AgentFixture(tmp.resolve("host"), repo).extra(forge() + """

                [fleet]
                role = "host"
                trusted_keys = ["%s"]
                releases = "file://%s"
                """.formatted(builderKey.publicKey(), releases));
        String sha = repo.head();

        try (Agent agent = agent(host)) {
            CycleReport report = agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
            assertThat(report.outcome()).isEqualTo(CycleOutcome.WAITING);
        }

        Processes.await(() -> "pending: waiting for builder".equals(finalStatuses(sha).get("gitops-sync/deploy/demo")));
        assertThat(finalStatuses(sha)).containsOnlyKeys("gitops-sync/deploy/demo");
    }
}
