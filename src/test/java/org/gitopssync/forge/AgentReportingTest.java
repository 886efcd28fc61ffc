package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.config.NixSystem;
import org.gitopssync.config.WebSettings;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleRequest;
import org.gitopssync.reconcile.Trigger;
import org.gitopssync.review.PackageChange;
import org.gitopssync.review.PullRequestJob;
import org.gitopssync.review.PullRequestOutcome;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.GitCli;
import org.gitopssync.testing.MutableClock;
import org.gitopssync.testing.Processes;
import org.gitopssync.testing.RecordingCommandRunner;
import org.gitopssync.web.RunPages;
import org.gitopssync.web.WebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole cycles and pull request checks with real git, nix and a real file:// binary cache,
 * reporting to the GitHub API double: what a commit and a pull request show on the forge.
 */
class AgentReportingTest {

    private static final String TOKEN = "ghp_reporting-test-token";

    @TempDir
    Path tmp;

    final MutableClock clock = MutableClock.atDefault();
    GitHubApiDouble github;
    DemoFlakeRepo repo;
    AgentFixture fixture;
    Path cache;

    @BeforeEach
    void setUp() {
        github = new GitHubApiDouble(clock, TOKEN);
        repo = DemoFlakeRepo.create(tmp);
        cache = tmp.resolve("binary-cache");
        fixture = new AgentFixture(tmp, repo).extra("""
                [[forges]]
                type = "github"
                api_url = "%s"
                repository = "acme/fleet"
                credentials = { env = "GH_TOKEN" }

                [[caches]]
                id = "local"
                type = "nix-copy"
                destination = "file://%s"
                permissions = { branches = ["main", "feature/*"], pull_requests = true }

                [pull_requests]
                enable = true
                """.formatted(github.baseUrl(), cache));
    }

    @AfterEach
    void tearDown() {
        github.close();
    }

    private Agent agent() {
        return Agent.open(fixture.load(Map.of()).settings(), Map.of("GH_TOKEN", TOKEN), new RecordingCommandRunner(),
                Clock.systemUTC());
    }

    /** The last state and description posted per context for a commit. */
    private Map<String, String> finalStatuses(String sha) {
        Map<String, String> out = new LinkedHashMap<>();
        for (GitHubApiDouble.Posted p : github.statuses()) {
            if (p.sha().equals(sha)) {
                out.put(p.field("context"), p.field("state") + ": " + p.field("description"));
            }
        }
        return out;
    }

    /** The final statuses once {@code context} shows {@code expected}: statuses go out through the forge's queue. */
    private Map<String, String> statusesOnce(String sha, String context, String expected) throws InterruptedException {
        Processes.await(() -> expected.equals(finalStatuses(sha).get(context)));
        return finalStatuses(sha);
    }

    private List<Path> narinfos() throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.toString().endsWith(".narinfo")).toList();
        }
    }

    @Test
    void aDeployedCommitShowsEvalBuildCacheAndDeployStatuses() throws IOException {
        CycleReport report;
        try (Agent agent = agent()) {
            report = agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        Map<String, String> statuses = finalStatuses(repo.head());
        assertThat(statuses).containsOnlyKeys("gitops-sync/eval", "gitops-sync/build", "gitops-sync/cache",
                "gitops-sync/deploy/demo");
        assertThat(statuses.get("gitops-sync/eval")).startsWith("success: evaluated 4 attributes");
        // outputs another test already built are "cached"; together they are the four attributes
        assertThat(statuses.get("gitops-sync/build")).matches("success: (\\d+) built, 0 failed, (\\d+) cached")
                .satisfies(s -> assertThat(Arrays.stream(s.replaceAll("[^0-9 ]", "").trim().split("\\s+"))
                        .mapToInt(Integer::parseInt).sum()).isEqualTo(4));
        assertThat(statuses.get("gitops-sync/cache")).startsWith("success:");
        assertThat(statuses.get("gitops-sync/deploy/demo")).isEqualTo("success: deployed as generation 1");
        assertThat(github.statuses()).allMatch(p -> p.token().equals(TOKEN));
        assertThat(narinfos()).as("the system and checks were pushed").hasSizeGreaterThanOrEqualTo(4);
        assertThat(report.summary()).contains("cache: ");
    }

    @Test
    void statusesAnEarlierProcessLeftAreSentByTheNextRunEvenWhenNothingChanged() {
        try (Agent agent = agent()) {
            agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
        // what a process killed before its queue drained leaves behind (a write precedes every send)
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            new StoredStatusOutbox(store, ForgeKind.GITHUB, Clock.systemUTC()).write(new RepositoryCoordinates("acme/fleet"),
                    new CommitStatus(repo.head(), "gitops-sync/deploy/demo", StatusState.SUCCESS, "left behind", null));
        }
        int before = github.statuses().size();

        CycleReport rerun;
        try (Agent agent = agent()) {
            rerun = agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }

        assertThat(rerun.outcome()).isEqualTo(CycleOutcome.UNCHANGED);
        assertThat(github.statuses().subList(before, github.statuses().size()))
                .extracting(p -> p.field("context") + ": " + p.field("description"))
                .containsExactly("gitops-sync/deploy/demo: left behind");
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            assertThat(new StoredStatusOutbox(store, ForgeKind.GITHUB, Clock.systemUTC()).stored()).isEmpty();
        }
    }

    @Test
    void aSystemRolledBackByTheHealthGateSaysWhichProbeFailed() throws IOException, InterruptedException {
        Path healthy = Files.writeString(tmp.resolve("healthy"), "yes\n");
        fixture.extra("""
                [deploy.health]
                commands = [["test", "-e", "%s"]]
                settle = "0s"
                timeout = "1s"
                """.formatted(healthy));
        try (Agent agent = agent()) {
            assertThat(agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none()).outcome())
                    .isEqualTo(CycleOutcome.DEPLOYED);
        }
        Files.delete(healthy);
        String doomed = repo.commitMotd("Unhealthy.");
        CycleReport report;
        try (Agent agent = agent()) {
            report = agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        String expected = "failure: rolled back: command `test -e " + healthy + "` failed";
        assertThat(statusesOnce(doomed, "gitops-sync/deploy/demo", expected)).containsEntry("gitops-sync/deploy/demo",
                expected);
    }

    @Test
    void aFailingCheckFailsTheBuildContextsAndNothingIsDeployed() {
        repo.edit("flake.nix", "[ -n \"$first\" ]", "[ -z \"$first\" ]");
        String broken = repo.commit("break a check");
        CycleReport report;
        try (Agent agent = agent()) {
            report = agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        Map<String, String> statuses = finalStatuses(broken);
        assertThat(statuses.get("gitops-sync/build")).matches("failure: \\d+ built, 1 failed, \\d+ cached");
        assertThat(statuses).hasEntrySatisfying("gitops-sync/build/checks." + NixSystem.current()
                + ".motd-not-empty", v -> assertThat(v).startsWith("failure: failed"));
        assertThat(statuses.get("gitops-sync/deploy/demo")).isEqualTo("failure: not deployed: build failed");
    }

    @Test
    void aCycleStoppedBeforeItsBuildClosesThePendingBuildStatus() {
        repo.edit("secrets/manifest.toml", "sops_file = \"secrets/demo.yaml\"", "sops_file = \"secrets/missing.yaml\"");
        String broken = repo.commit("point a secret at a file that is not there");
        CycleReport report;
        try (Agent agent = agent()) {
            report = agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        Map<String, String> statuses = finalStatuses(broken);
        assertThat(statuses.get("gitops-sync/build")).startsWith("failure: secrets: ");
        assertThat(statuses.get("gitops-sync/eval")).startsWith("failure: secrets: ");
        assertThat(statuses.get("gitops-sync/deploy/demo")).isEqualTo("failure: not deployed: secrets failed");
    }

    @Test
    void aPullRequestGetsChecksAndAPlanButNoSecretsAndNoDeployment() throws IOException {
        try (Agent agent = agent()) {
            assertThat(agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none()).outcome())
                    .isEqualTo(CycleOutcome.DEPLOYED);
        }
        String deployedSystem = Files.readSymbolicLink(repo.root().resolve("run/current-system")).toString();
        GitCli.run(repo.dir(), "checkout", "-q", "-b", "feature/greeter");
        repo.edit("flake.nix", "version = \"2.1\";", "version = \"2.2\";");
        String head = repo.commit("bump the greeter");
        GitCli.run(repo.dir(), "update-ref", "refs/pull/7/head", head);
        GitCli.run(repo.dir(), "checkout", "-q", "main");
        List<Path> before = narinfos();

        PullRequestOutcome outcome;
        try (Agent agent = agent()) {
            outcome = agent.pullRequests().run(new PullRequestJob(ForgeKind.GITHUB, 7, head, "feature/greeter", "main",
                    false, "alice"), Cancellation.none());
        }

        assertThat(outcome.state()).as(outcome.ciSummary()).isEqualTo(PullRequestOutcome.State.PASSED);
        assertThat(outcome.plans()).singleElement().satisfies(p -> {
            assertThat(p.before()).isEqualTo(deployedSystem);
            assertThat(p.headline()).isEqualTo("demo: 1 changed");
            assertThat(p.changes()).extracting(PackageChange::describe)
                    .containsExactly("demo-greeter 2.1 → 2.2");
        });
        Map<String, String> statuses = finalStatuses(head);
        assertThat(statuses.get("gitops-sync/build")).startsWith("success:");
        assertThat(statuses.get("gitops-sync/plan")).isEqualTo("success: demo: 1 changed");
        assertThat(statuses).doesNotContainKey("gitops-sync/deploy/demo");
        assertThat(github.commentBodies("acme/fleet", 7)).singleElement().satisfies(body -> assertThat(body)
                .contains(PullRequestComment.MARKER, "demo-greeter 2.1 → 2.2"));
        assertThat(narinfos().size()).as("the PR's new outputs were pushed").isGreaterThan(before.size());
        assertThat(Files.readSymbolicLink(repo.root().resolve("run/current-system")).toString())
                .as("nothing was activated").isEqualTo(deployedSystem);
    }

    @Test
    void aPullRequestsStatusesLinkToItsPageOnTheDaemon() throws Exception {
        fixture.extra("""
                [web]
                public_url = "https://gitops.example/"
                """);
        GitCli.run(repo.dir(), "checkout", "-q", "-b", "feature/page");
        repo.edit("flake.nix", "version = \"2.1\";", "version = \"2.3\";");
        String head = repo.commit("a pull request with a page");
        GitCli.run(repo.dir(), "update-ref", "refs/pull/8/head", head);
        GitCli.run(repo.dir(), "checkout", "-q", "main");

        Vertx vertx = Vertx.vertx();
        try (Agent agent = agent()) {
            PullRequestOutcome outcome = agent.pullRequests().run(new PullRequestJob(ForgeKind.GITHUB, 8, head,
                    "feature/page", "main", false, "alice"), Cancellation.none());
            assertThat(outcome.state()).as(outcome.ciSummary()).isEqualTo(PullRequestOutcome.State.PASSED);
            Processes.await(() -> finalStatuses(head).getOrDefault("gitops-sync/build", "").startsWith("success"));

            assertThat(github.statuses()).filteredOn(p -> p.sha().equals(head)).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.field("target_url"))
                            .isEqualTo("https://gitops.example/runs/pr/github/8"));
            try (WebServer server = WebServer.start(vertx, new WebSettings(true, "127.0.0.1", 0, null),
                    new WebServer.Routes(() -> null, new RunPages(agent.store(), agent.settings()), Map.of(), null))) {
                HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/runs/pr/github/8")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("Pull request github #8", head.substring(0, 12), "motd-not-empty");
            }
        } finally {
            vertx.close();
        }
    }

    /** A commit on a fork's branch, published as the head of pull request {@code number}. */
    private String forkHead(int number, String version) {
        GitCli.run(repo.dir(), "checkout", "-q", "-B", "fork-work");
        repo.edit("flake.nix", "version = \"2.1\";", "version = \"" + version + "\";");
        String head = repo.commit("from a fork: " + version);
        GitCli.run(repo.dir(), "update-ref", "refs/pull/" + number + "/head", head);
        GitCli.run(repo.dir(), "checkout", "-q", "main");
        return head;
    }

    private static PullRequestJob forkJob(int number, String head, String author) {
        return new PullRequestJob(ForgeKind.GITHUB, number, head, "fork-work", "main", true, author);
    }

    private Agent agent(Clock clock) {
        return Agent.open(fixture.load(Map.of()).settings(), Map.of("GH_TOKEN", TOKEN), new RecordingCommandRunner(),
                clock);
    }

    private static final String WAITING_FOR_STRANGER = "pending: waiting for approval: fork by stranger;"
            + " label \"gitops-sync: approved\" or comment /gitops-sync approve";

    @Test
    void aForkPullRequestIsNotEvaluatedWithoutApprovalAndItsPendingStatusSaysHowToApprove() {
        String head = forkHead(9, "3.0");

        PullRequestOutcome outcome;
        try (Agent agent = agent()) {
            outcome = agent.pullRequests().run(forkJob(9, head, "stranger"), Cancellation.none());
            assertThat(agent.ci().results().latestSystems("fork-work")).as("nothing was evaluated").isEmpty();
        }

        assertThat(outcome.state()).isEqualTo(PullRequestOutcome.State.WAITING_FOR_APPROVAL);
        assertThat(finalStatuses(head)).containsExactly(Map.entry("gitops-sync/eval", WAITING_FOR_STRANGER));
        assertThat(github.requests("GET", "/repos/acme/fleet/collaborators/")).as("no approval, nothing to look up")
                .isEmpty();
    }

    @Test
    void aForkByATrustedAuthorIsBuiltButNeverPushed() throws IOException {
        fixture.extra("[security]\ntrusted_authors = [\"stranger\"]\n");
        String head = forkHead(9, "3.0");

        PullRequestOutcome outcome;
        try (Agent agent = agent()) {
            outcome = agent.pullRequests().run(forkJob(9, head, "stranger"), Cancellation.none());
        }

        assertThat(outcome.state()).isEqualTo(PullRequestOutcome.State.PASSED);
        assertThat(outcome.cacheSummary()).contains("skipped");
        assertThat(narinfos()).as("a fork's build never reaches the cache").isEmpty();
        assertThat(Files.exists(repo.root().resolve("run/current-system"))).isFalse();
        assertThat(fixture.secretsRoot()).as("a pull request never decrypts a secret").doesNotExist();
    }

    @Test
    void theApprovalLabelByAWriterLetsAForkHeadBuildAndANewHeadNeedsItAgain() throws InterruptedException {
        github.grant("acme/fleet", "maint", "maintain");
        String first = forkHead(9, "3.0");

        try (Agent agent = agent(clock)) {
            assertThat(agent.pullRequests().run(forkJob(9, first, "stranger"), Cancellation.none()).state())
                    .isEqualTo(PullRequestOutcome.State.WAITING_FOR_APPROVAL);
            clock.advance(Duration.ofMinutes(3));
            github.label("acme/fleet", 9, "gitops-sync: approved", "maint");
            PullRequestOutcome approved = agent.pullRequests().run(forkJob(9, first, "stranger"), Cancellation.none());
            assertThat(approved.state()).as(approved.ciSummary()).isEqualTo(PullRequestOutcome.State.PASSED);
            Processes.await(() -> finalStatuses(first).containsKey("gitops-sync/build"));
            assertThat(finalStatuses(first).get("gitops-sync/build")).startsWith("success:");

            clock.advance(Duration.ofMinutes(1));
            String second = forkHead(9, "3.1");
            PullRequestOutcome pushed = agent.pullRequests().run(forkJob(9, second, "stranger"), Cancellation.none());
            assertThat(pushed.state()).as("the label was applied before this push")
                    .isEqualTo(PullRequestOutcome.State.WAITING_FOR_APPROVAL);
            assertThat(statusesOnce(second, "gitops-sync/eval", WAITING_FOR_STRANGER))
                    .containsExactly(Map.entry("gitops-sync/eval", WAITING_FOR_STRANGER));

            clock.advance(Duration.ofMinutes(1));
            github.unlabel("acme/fleet", 9, "gitops-sync: approved", "maint");
            github.label("acme/fleet", 9, "gitops-sync: approved", "maint");
            assertThat(agent.pullRequests().run(forkJob(9, second, "stranger"), Cancellation.none()).state())
                    .as("re-applied after the push").isEqualTo(PullRequestOutcome.State.PASSED);
        }
    }

    @Test
    void anApproveCommentCountsOnlyFromAUserTheForgeSaysMayWrite() throws InterruptedException {
        github.grant("acme/fleet", "tri", "triage");
        github.grant("acme/fleet", "dev", "write");
        String head = forkHead(9, "3.0");

        try (Agent agent = agent(clock)) {
            agent.pullRequests().run(forkJob(9, head, "stranger"), Cancellation.none());
            clock.advance(Duration.ofMinutes(2));
            github.addComment("acme/fleet", 9, "/gitops-sync approve", "stranger");
            github.addComment("acme/fleet", 9, "/gitops-sync approve", "tri");
            assertThat(agent.pullRequests().run(forkJob(9, head, "stranger"), Cancellation.none()).state())
                    .as("the author and a triager cannot approve").isEqualTo(PullRequestOutcome.State.WAITING_FOR_APPROVAL);
            assertThat(statusesOnce(head, "gitops-sync/eval", WAITING_FOR_STRANGER))
                    .containsExactly(Map.entry("gitops-sync/eval", WAITING_FOR_STRANGER));

            github.addComment("acme/fleet", 9, "reviewed, fine\n/gitops-sync approve", "dev");
            PullRequestOutcome approved = agent.pullRequests().run(forkJob(9, head, "stranger"), Cancellation.none());
            assertThat(approved.state()).as(approved.ciSummary()).isEqualTo(PullRequestOutcome.State.PASSED);
        }
        assertThat(fixture.secretsRoot()).as("a pull request never decrypts a secret").doesNotExist();
        assertThat(Files.exists(repo.root().resolve("run/current-system"))).as("nor deploys").isFalse();
    }

    @Test
    void anApprovalNamingACommitDoesNotCoverCodePushedAfterIt() throws InterruptedException {
        github.grant("acme/fleet", "dev", "write");
        String approved = forkHead(9, "3.0");
        github.addComment("acme/fleet", 9, "/gitops-sync approve " + approved.substring(0, 10), "dev");
        String pushedLater = forkHead(9, "6.6");

        PullRequestOutcome outcome;
        try (Agent agent = agent(clock)) {
            // the forge still named the approved head when the check was queued
            outcome = agent.pullRequests().run(forkJob(9, approved, "stranger"), Cancellation.none());
        }

        assertThat(outcome.state()).isEqualTo(PullRequestOutcome.State.WAITING_FOR_APPROVAL);
        assertThat(outcome.ciSummary()).isEqualTo("waiting for approval: the head moved to "
                + pushedLater.substring(0, 12) + " after " + approved.substring(0, 12) + " was approved");
        assertThat(finalStatuses(pushedLater)).as("nothing of the later push was evaluated").isEmpty();
    }

    @Test
    void anUntrustedAuthorWaitsForApprovalWithAPendingStatusThatSaysWhy() {
        fixture.extra("[security]\nrequire_approval = true\ntrusted_authors = [\"alice\"]\n");
        String head = repo.head();
        PullRequestOutcome outcome;
        try (Agent agent = agent()) {
            outcome = agent.pullRequests().run(new PullRequestJob(ForgeKind.GITHUB, 3, head, "x", "main", false,
                    "mallory"), Cancellation.none());
        }

        assertThat(outcome.state()).isEqualTo(PullRequestOutcome.State.WAITING_FOR_APPROVAL);
        assertThat(finalStatuses(head)).containsExactly(Map.entry("gitops-sync/eval",
                "pending: waiting for approval: mallory is not in security.trusted_authors;"
                        + " label \"gitops-sync: approved\" or comment /gitops-sync approve"));
    }

    @Test
    void driftFailsTheDeployedCommitsDeployStatusAndTheSuspendedCommitStaysPending() throws Exception {
        String deployed = repo.head();
        try (Agent agent = agent()) {
            agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
        Path hand = Files.createDirectories(tmp.resolve("hand-built-system"));
        Path current = repo.root().resolve("run/current-system");
        Files.delete(current);
        Files.createSymbolicLink(current, hand);
        String pushed = repo.commitMotd("Pushed during the drift.");

        CycleReport report;
        try (Agent agent = agent()) {
            report = agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.SUSPENDED);
        Processes.await(() -> finalStatuses(deployed).getOrDefault("gitops-sync/deploy/demo", "").startsWith("failure"));
        assertThat(finalStatuses(deployed).get("gitops-sync/deploy/demo"))
                .startsWith("failure: drift: the host runs " + hand.toRealPath());
        Processes.await(() -> finalStatuses(pushed).getOrDefault("gitops-sync/deploy/demo", "").startsWith("pending: suspended"));
        assertThat(finalStatuses(pushed).get("gitops-sync/deploy/demo"))
                .startsWith("pending: suspended by gitops-sync (drift detected)");
        assertThat(finalStatuses(pushed).get("gitops-sync/build")).as("a suspended agent still reports its build")
                .startsWith("success");
    }
}
