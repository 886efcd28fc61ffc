package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import org.gitopssync.config.Credential;
import org.gitopssync.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PullRequestListerTest {

    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static final RepositoryCoordinates REPO = RepositoryCoordinates.of("acme", "infra");

    final MutableClock clock = MutableClock.atDefault();
    final GitHubApiDouble github = new GitHubApiDouble(clock, "ghp");
    final GiteaApiDouble gitea = new GiteaApiDouble("tea");
    final GitLabApiDouble gitlab = new GitLabApiDouble("glpat");

    @AfterEach
    void stop() {
        github.close();
        gitea.close();
        gitlab.close();
    }

    PullRequestLister lister(ForgeKind kind, java.net.URI url, String token) {
        return ForgeApi.connect(new ForgeConnection(kind, url, new ForgeAuth.Token(Credential.of(token, "t"))),
                CLIENT, clock).pullRequestLister();
    }

    static String sha(int n) {
        return String.format("%040x", n);
    }

    @Test
    void gitHubFollowsLinkPaginationAcrossAllPages() {
        for (int n = 1; n <= 230; n++) {
            github.addPullRequest("acme/infra", n, sha(n), "branch-" + n, n % 10 == 0 ? "fork/infra" : "acme/infra",
                    "user" + n);
        }
        List<PullRequest> open = lister(ForgeKind.GITHUB, github.baseUrl(), "ghp").openPullRequests(REPO);

        assertThat(open).hasSize(230);
        assertThat(open.get(0)).isEqualTo(new PullRequest(1, sha(1), "branch-1", "main", false, "user1"));
        assertThat(open.get(9).fromFork()).isTrue();
        assertThat(github.requests()).extracting(r -> r.rawPath() + " " + r.query()).containsExactly(
                "/repos/acme/infra/pulls {state=open, per_page=100}",
                "/repos/acme/infra/pulls {state=open, per_page=100, page=2}",
                "/repos/acme/infra/pulls {state=open, per_page=100, page=3}");
    }

    @Test
    void gitHubPullRequestWhoseForkWasDeletedCountsAsFork() {
        github.addPullRequest("acme/infra", 5, sha(5), "patch", null, "ghost");
        assertThat(lister(ForgeKind.GITHUB, github.baseUrl(), "ghp").openPullRequests(REPO))
                .containsExactly(new PullRequest(5, sha(5), "patch", "main", true, "ghost"));
    }

    @Test
    void giteaPagesWithLimit() {
        for (int n = 1; n <= 60; n++) {
            gitea.addPullRequest("acme/infra", n, sha(n), "b" + n, n == 60 ? "eve/infra" : "acme/infra", "u" + n);
        }
        List<PullRequest> open = lister(ForgeKind.GITEA, gitea.baseUrl(), "tea").openPullRequests(REPO);

        assertThat(open).hasSize(60);
        assertThat(open.get(59)).isEqualTo(new PullRequest(60, sha(60), "b60", "main", true, "u60"));
        assertThat(gitea.requests()).extracting(r -> r.rawPath() + " " + r.query()).containsExactly(
                "/api/v1/repos/acme/infra/pulls {state=open, limit=50}",
                "/api/v1/repos/acme/infra/pulls {state=open, limit=50, page=2}");
        assertThat(gitea.requests()).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("token tea"));
    }

    @Test
    void gitLabListsOpenedMergeRequests() {
        gitlab.addMergeRequest("infra/hosts", 3, sha(3), "feature", 15, 15, "alice");
        gitlab.addMergeRequest("infra/hosts", 4, sha(4), "patch", 77, 15, "mallory");
        List<PullRequest> open = lister(ForgeKind.GITLAB, gitlab.baseUrl(), "glpat")
                .openPullRequests(RepositoryCoordinates.gitLabProject("infra/hosts"));

        assertThat(open).containsExactly(new PullRequest(3, sha(3), "feature", "main", false, "alice"),
                new PullRequest(4, sha(4), "patch", "main", true, "mallory"));
        assertThat(gitlab.requests().get(0).rawPath()).isEqualTo("/api/v4/projects/infra%2Fhosts/merge_requests");
        assertThat(gitlab.requests().get(0).query()).containsEntry("state", "opened");
    }

    @Test
    void nextLinkToAnotherHostIsNotFollowed() {
        github.addPullRequest("acme/infra", 1, sha(1), "a", "acme/infra", "u");
        github.failNext(ApiDouble.Reply.json(200, List.of(Map.of("number", 1,
                        "head", Map.of("sha", sha(1), "ref", "a", "repo", Map.of("full_name", "acme/infra")),
                        "base", Map.of("ref", "main", "repo", Map.of("full_name", "acme/infra")))))
                .withHeader("Link", "<https://attacker.example/steal?page=2>; rel=\"next\""));

        assertThat(lister(ForgeKind.GITHUB, github.baseUrl(), "ghp").openPullRequests(REPO)).hasSize(1);
        assertThat(github.requests()).hasSize(1);
    }
}
