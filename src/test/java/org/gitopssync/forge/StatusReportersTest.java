package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import org.gitopssync.config.Credential;
import org.gitopssync.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusReportersTest {

    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final String GH_TOKEN = "ghp_secretToken123";
    static final String GITEA_TOKEN = "gitea-secret-token";
    static final String GL_TOKEN = "glpat-secret-token";
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    final MutableClock clock = MutableClock.atDefault();
    final GitHubApiDouble github = new GitHubApiDouble(clock, GH_TOKEN);
    final GiteaApiDouble gitea = new GiteaApiDouble(GITEA_TOKEN);
    final GitLabApiDouble gitlab = new GitLabApiDouble(GL_TOKEN);

    @AfterEach
    void stop() {
        github.close();
        gitea.close();
        gitlab.close();
    }

    StatusReporter reporter(ForgeKind kind) {
        return switch (kind) {
            case GITHUB -> api(kind, github.baseUrl(), GH_TOKEN).statusReporter();
            case GITEA, FORGEJO -> api(kind, gitea.baseUrl(), GITEA_TOKEN).statusReporter();
            case GITLAB -> api(kind, gitlab.baseUrl(), GL_TOKEN).statusReporter();
        };
    }

    ForgeApi api(ForgeKind kind, java.net.URI url, String token) {
        return ForgeApi.connect(new ForgeConnection(kind, url, new ForgeAuth.Token(Credential.of(token, "test"))),
                CLIENT, clock);
    }

    @Test
    void gitHubRequestIsTheDocumentedOne() {
        reporter(ForgeKind.GITHUB).report(RepositoryCoordinates.of("acme", "infra"),
                new CommitStatus(SHA, "gitops-sync/build", StatusState.SUCCESS, "181 built, 0 failed, 17 cached",
                        "https://ci.example/run/7"));

        ApiDouble.Recorded request = github.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/repos/acme/infra/statuses/" + SHA);
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + GH_TOKEN);
        assertThat(request.header("Accept")).isEqualTo("application/vnd.github+json");
        assertThat(request.header("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.json().toString()).isEqualTo("{\"state\":\"success\",\"context\":\"gitops-sync/build\","
                + "\"description\":\"181 built, 0 failed, 17 cached\",\"target_url\":\"https://ci.example/run/7\"}");
    }

    @Test
    void giteaAndForgejoUseApiV1AndTokenAuth() {
        for (ForgeKind kind : new ForgeKind[] {ForgeKind.GITEA, ForgeKind.FORGEJO}) {
            reporter(kind).report(RepositoryCoordinates.of("acme", "infra"),
                    new CommitStatus(SHA, "gitops-sync/eval", StatusState.PENDING, "evaluating", null));
        }
        assertThat(gitea.requests()).hasSize(2).allSatisfy(request -> {
            assertThat(request.rawPath()).isEqualTo("/api/v1/repos/acme/infra/statuses/" + SHA);
            assertThat(request.header("Authorization")).isEqualTo("token " + GITEA_TOKEN);
            assertThat(request.json().toString())
                    .isEqualTo("{\"state\":\"pending\",\"context\":\"gitops-sync/eval\",\"description\":\"evaluating\"}");
        });
    }

    @Test
    void gitLabAddressesTheProjectAsOneEncodedSegment() {
        reporter(ForgeKind.GITLAB).report(RepositoryCoordinates.gitLabProject("infra/nix/hosts"),
                new CommitStatus(SHA, "gitops-sync/deploy/web1", StatusState.RUNNING, "switching", null, "main"));
        reporter(ForgeKind.GITLAB).report(RepositoryCoordinates.gitLabProject("4711"),
                new CommitStatus(SHA, "gitops-sync/eval", StatusState.SUCCESS, null, null));

        assertThat(gitlab.requests().get(0).rawPath()).isEqualTo("/api/v4/projects/infra%2Fnix%2Fhosts/statuses/" + SHA);
        assertThat(gitlab.requests().get(0).header("PRIVATE-TOKEN")).isEqualTo(GL_TOKEN);
        assertThat(gitlab.requests().get(0).header("Authorization")).isNull();
        assertThat(gitlab.requests().get(0).json().toString()).isEqualTo("{\"state\":\"running\","
                + "\"name\":\"gitops-sync/deploy/web1\",\"description\":\"switching\",\"ref\":\"main\"}");
        assertThat(gitlab.requests().get(1).rawPath()).isEqualTo("/api/v4/projects/4711/statuses/" + SHA);
        assertThat(gitlab.statuses()).extracting(GitLabApiDouble.Posted::project).containsExactly("infra/nix/hosts", "4711");
    }

    @ParameterizedTest
    @CsvSource({
        "PENDING, pending, pending, pending",
        "RUNNING, pending, pending, running",
        "SUCCESS, success, success, success",
        "FAILURE, failure, failure, failed",
        "ERROR,   error,   error,   failed"})
    void statesAreMappedPerForge(StatusState state, String gitHub, String giteaState, String gitLab) {
        RepositoryCoordinates repo = RepositoryCoordinates.of("acme", "infra");
        CommitStatus status = new CommitStatus(SHA, "gitops-sync/build", state, "x", null);
        reporter(ForgeKind.GITHUB).report(repo, status);
        reporter(ForgeKind.GITEA).report(repo, status);
        reporter(ForgeKind.GITLAB).report(repo, status);

        assertThat(github.statuses().get(0).field("state")).isEqualTo(gitHub);
        assertThat(gitea.statuses().get(0).field("state")).isEqualTo(giteaState);
        assertThat(gitlab.statuses().get(0).field("state")).isEqualTo(gitLab);
    }

    @Test
    void descriptionsAreCutToEachForgesLimitWithoutSplittingCharacters() {
        RepositoryCoordinates repo = RepositoryCoordinates.of("acme", "infra");
        // 139 ASCII characters then emoji (each a surrogate pair): a char-based cut would split one.
        String longText = "a".repeat(139) + "\uD83D\uDE80".repeat(200);
        CommitStatus status = new CommitStatus(SHA, "gitops-sync/build", StatusState.FAILURE, longText, null);
        reporter(ForgeKind.GITHUB).report(repo, status);
        reporter(ForgeKind.GITLAB).report(repo, status);

        String gh = github.statuses().get(0).field("description");
        assertThat(gh.codePointCount(0, gh.length())).isEqualTo(140);
        assertThat(gh).startsWith("a".repeat(139)).endsWith("\u2026");
        String gl = gitlab.statuses().get(0).field("description");
        assertThat(gl.codePointCount(0, gl.length())).isEqualTo(255);
        assertThat(gl).endsWith("\uD83D\uDE80\u2026");
        assertThat(Character.isHighSurrogate(gl.charAt(gl.length() - 2))).isFalse();
    }

    @Test
    void shortDescriptionsAreKeptAndFlattenedToOneLine() {
        reporter(ForgeKind.GITHUB).report(RepositoryCoordinates.of("acme", "infra"),
                new CommitStatus(SHA, "c", StatusState.SUCCESS, "two\nlines", "not a url"));
        assertThat(github.statuses().get(0).field("description")).isEqualTo("two lines");
        assertThat(github.statuses().get(0).field("target_url")).as("non-URL target left out").isNull();
    }

    @Test
    void gitLabRepeatOfTheCurrentStateIsNotAnError() {
        StatusReporter reporter = reporter(ForgeKind.GITLAB);
        RepositoryCoordinates project = RepositoryCoordinates.gitLabProject("infra/hosts");
        CommitStatus running = new CommitStatus(SHA, "gitops-sync/build", StatusState.RUNNING, "1 built", null);
        reporter.report(project, running);
        reporter.report(project, running);

        assertThat(gitlab.requests()).hasSize(2);
        assertThat(gitlab.statuses()).hasSize(1);
    }

    @Test
    void refusalNamesForgeRepositoryShaAndStatusButNeverTheToken() {
        github.failNext(ApiDouble.Reply.json(422, java.util.Map.of("message", "Validation Failed")));
        assertThatThrownBy(() -> reporter(ForgeKind.GITHUB).report(RepositoryCoordinates.of("acme", "infra"),
                new CommitStatus(SHA, "gitops-sync/eval", StatusState.SUCCESS, null, null)))
                .isInstanceOfSatisfying(ForgeException.class, e -> {
                    assertThat(e.forge()).isEqualTo(ForgeKind.GITHUB);
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.repository()).contains("acme/infra");
                    assertThat(e.sha()).contains(SHA);
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("GitHub", "acme/infra", SHA.substring(0, 12), "422",
                            "Validation Failed").doesNotContain(GH_TOKEN);
                });
    }

    @Test
    void wrongTokenIsAPermanentFailure() {
        StatusReporter reporter = api(ForgeKind.GITEA, gitea.baseUrl(), "wrong").statusReporter();
        assertThatThrownBy(() -> reporter.report(RepositoryCoordinates.of("acme", "infra"),
                new CommitStatus(SHA, "c", StatusState.SUCCESS, null, null)))
                .isInstanceOfSatisfying(ForgeException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).doesNotContain("wrong");
                });
    }

    @Test
    void unreachableForgeIsTransient() {
        gitlab.stop();
        assertThatThrownBy(() -> reporter(ForgeKind.GITLAB).report(RepositoryCoordinates.gitLabProject("7"),
                new CommitStatus(SHA, "c", StatusState.SUCCESS, null, null)))
                .isInstanceOfSatisfying(ForgeException.class, e -> {
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.isTransient()).isTrue();
                });
    }

    @Test
    void shaAndRepositoryCannotSmuggleAPath() {
        assertThatThrownBy(() -> new CommitStatus("../../admin", "c", StatusState.SUCCESS, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RepositoryCoordinates.of("acme", "..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RepositoryCoordinates.of("acme", "in fra")).isInstanceOf(IllegalArgumentException.class);
    }
}
