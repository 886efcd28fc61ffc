package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.gitopssync.config.Credential;
import org.gitopssync.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** Reading a commit's statuses back from each forge double: the latest per context, when, across pages. */
class StatusLedgerTest {

    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    final MutableClock clock = MutableClock.atDefault();
    final Instant start = clock.instant();

    ForgeApi api(ForgeKind kind, URI url, String token) {
        return ForgeApi.connect(new ForgeConnection(kind, url, new ForgeAuth.Token(Credential.of(token, "test"))),
                CLIENT, clock);
    }

    private static Map<String, PostedStatus> byContext(List<PostedStatus> statuses) {
        return statuses.stream().collect(Collectors.toMap(PostedStatus::context, Function.identity()));
    }

    /** Our own deploy goes pending then success; a canary's went success; each read back with its time. */
    private void latestOfEachContextWithItsTime(ForgeApi api, RepositoryCoordinates repo, Poster elsewhere) {
        StatusReporter reporter = api.statusReporter();
        reporter.report(repo, new CommitStatus(SHA, "gitops-sync/deploy/demo", StatusState.PENDING, "waiting for the build",
                null, "main"));
        clock.advance(Duration.ofMinutes(3));
        elsewhere.post("gitops-sync/deploy/canary-1", "success", "deployed as generation 4");
        clock.advance(Duration.ofMinutes(2));
        reporter.report(repo, new CommitStatus(SHA, "gitops-sync/deploy/demo", StatusState.SUCCESS, "deployed", null,
                "main"));
        elsewhere.post("gitops-sync/deploy/canary-2", "failure", "rolled back: http failed");

        Map<String, PostedStatus> latest = byContext(api.statusLedger().latest(repo, SHA));

        assertThat(latest).containsOnlyKeys("gitops-sync/deploy/demo", "gitops-sync/deploy/canary-1",
                "gitops-sync/deploy/canary-2");
        assertThat(latest.get("gitops-sync/deploy/demo")).isEqualTo(new PostedStatus("gitops-sync/deploy/demo",
                StatusState.SUCCESS, "deployed", start.plus(Duration.ofMinutes(5)),
                latest.get("gitops-sync/deploy/demo").id()));
        assertThat(latest.get("gitops-sync/deploy/canary-1").at()).isEqualTo(start.plus(Duration.ofMinutes(3)));
        assertThat(latest.get("gitops-sync/deploy/canary-1").state()).isEqualTo(StatusState.SUCCESS);
        assertThat(latest.get("gitops-sync/deploy/canary-2").state()).isEqualTo(StatusState.FAILURE);
        assertThat(latest.get("gitops-sync/deploy/canary-2").description()).isEqualTo("rolled back: http failed");
    }

    @FunctionalInterface
    interface Poster {
        void post(String context, String state, String description);
    }

    @Test
    void gitHubListsEveryStatusNewestFirst() {
        try (GitHubApiDouble github = new GitHubApiDouble(clock, "ghp_t")) {
            RepositoryCoordinates repo = RepositoryCoordinates.of("acme", "fleet");
            latestOfEachContextWithItsTime(api(ForgeKind.GITHUB, github.baseUrl(), "ghp_t"), repo,
                    (c, s, d) -> github.postedElsewhere("acme/fleet", SHA, c, s, d));
            assertThat(github.requests("GET", "/repos/acme/fleet/commits/" + SHA + "/statuses"))
                    .allSatisfy(r -> assertThat(r.query()).containsEntry("per_page", "100"));
        }
    }

    @Test
    void giteaNamesTheStateStatusAndWritesTimesWithAnOffset() {
        try (GiteaApiDouble gitea = new GiteaApiDouble("gt", clock)) {
            RepositoryCoordinates repo = RepositoryCoordinates.of("acme", "fleet");
            latestOfEachContextWithItsTime(api(ForgeKind.GITEA, gitea.baseUrl(), "gt"), repo,
                    (c, s, d) -> gitea.postedElsewhere("acme/fleet", SHA, c, s, d));
        }
    }

    @Test
    void gitLabDatesAFinishedStatusByWhenItFinished() {
        try (GitLabApiDouble gitlab = new GitLabApiDouble("glt", clock)) {
            RepositoryCoordinates repo = new RepositoryCoordinates("acme/fleet");
            latestOfEachContextWithItsTime(api(ForgeKind.GITLAB, gitlab.baseUrl(), "glt"), repo,
                    (c, s, d) -> gitlab.postedElsewhere("acme/fleet", SHA, c, s.equals("failure") ? "failed" : s, d));
        }
    }

    @Test
    void everyPageIsReadOnEachForge() {
        RepositoryCoordinates repo = RepositoryCoordinates.of("acme", "fleet");
        try (GitHubApiDouble github = new GitHubApiDouble(clock, "ghp_t");
                GiteaApiDouble gitea = new GiteaApiDouble("gt", clock);
                GitLabApiDouble gitlab = new GitLabApiDouble("glt", clock)) {
            // the canary's success first, then many more: newest first, it is on GitHub's last page
            github.postedElsewhere("acme/fleet", SHA, "gitops-sync/deploy/canary-1", "success", "deployed");
            gitea.postedElsewhere("acme/fleet", SHA, "gitops-sync/deploy/canary-1", "success", "deployed");
            gitlab.postedElsewhere("acme/fleet", SHA, "gitops-sync/deploy/canary-1", "success", "deployed");
            for (int i = 0; i < 230; i++) {
                github.postedElsewhere("acme/fleet", SHA, "gitops-sync/deploy/web-" + i, "pending", "waiting");
                gitea.postedElsewhere("acme/fleet", SHA, "gitops-sync/deploy/web-" + i, "pending", "waiting");
                gitlab.postedElsewhere("acme/fleet", SHA, "gitops-sync/deploy/web-" + i, "pending", "waiting");
            }
            // gitea's oldest-first order puts a later status of the canary on the last page
            gitea.postedElsewhere("acme/fleet", SHA, "gitops-sync/deploy/canary-1", "failure", "rolled back");

            List<PostedStatus> fromGitHub = api(ForgeKind.GITHUB, github.baseUrl(), "ghp_t").statusLedger().latest(repo, SHA);
            List<PostedStatus> fromGitea = api(ForgeKind.GITEA, gitea.baseUrl(), "gt").statusLedger().latest(repo, SHA);
            List<PostedStatus> fromGitLab = api(ForgeKind.GITLAB, gitlab.baseUrl(), "glt").statusLedger()
                    .latest(new RepositoryCoordinates("acme/fleet"), SHA);

            assertThat(fromGitHub).hasSize(231);
            assertThat(byContext(fromGitHub).get("gitops-sync/deploy/canary-1").state()).isEqualTo(StatusState.SUCCESS);
            assertThat(github.requests("GET", "/repos/acme/fleet/commits/")).hasSize(3);
            assertThat(fromGitea).hasSize(231);
            assertThat(byContext(fromGitea).get("gitops-sync/deploy/canary-1").state()).isEqualTo(StatusState.FAILURE);
            assertThat(gitea.requests("GET", "/api/v1/repos/acme/fleet/commits/")).hasSize(5);
            assertThat(fromGitLab).hasSize(231);
            assertThat(byContext(fromGitLab).get("gitops-sync/deploy/canary-1").state()).isEqualTo(StatusState.SUCCESS);
            assertThat(gitlab.requests("GET", "/api/v4/projects/")).hasSize(3);
        }
    }

    @Test
    void anUnreachableForgeIsAForgeExceptionNamingIt() {
        GitHubApiDouble github = new GitHubApiDouble(clock, "ghp_t");
        URI url = github.baseUrl();
        github.close();
        assertThatThrownBy(() -> api(ForgeKind.GITHUB, url, "ghp_t").statusLedger()
                .latest(RepositoryCoordinates.of("acme", "fleet"), SHA))
                .isInstanceOf(ForgeException.class)
                .hasMessageContaining("GitHub commit statuses")
                .hasMessageContaining("no answer")
                .hasMessageNotContaining("ghp_t");
    }
}
