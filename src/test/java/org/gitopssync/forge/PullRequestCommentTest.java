package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import org.gitopssync.config.Credential;
import org.gitopssync.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PullRequestCommentTest {

    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static final RepositoryCoordinates REPO = RepositoryCoordinates.of("acme", "infra");
    static final String MARKED_V1 = PullRequestComment.MARKER + "\nplan v1";
    static final String MARKED_V2 = PullRequestComment.MARKER + "\nplan v2";

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

    PullRequestComment comment(ForgeKind kind, java.net.URI url, String token) {
        return ForgeApi.connect(new ForgeConnection(kind, url, new ForgeAuth.Token(Credential.of(token, "t"))),
                CLIENT, clock).planComment();
    }

    @Test
    void gitHubCommentIsCreatedThenEditedInPlace() {
        github.addComment("acme/infra", 42, "LGTM", "bob");
        PullRequestComment comment = comment(ForgeKind.GITHUB, github.baseUrl(), "ghp");

        assertThat(comment.upsert(REPO, 42, "plan v1")).isEqualTo(PullRequestComment.Outcome.CREATED);
        assertThat(comment.upsert(REPO, 42, "plan v2")).isEqualTo(PullRequestComment.Outcome.UPDATED);
        assertThat(comment.upsert(REPO, 42, "plan v2")).isEqualTo(PullRequestComment.Outcome.UNCHANGED);

        assertThat(github.commentBodies("acme/infra", 42)).containsExactly("LGTM", MARKED_V2);
        assertThat(github.requests("POST", "/repos/acme/infra/issues/42/comments")).hasSize(1);
        assertThat(github.requests("PATCH", "/repos/acme/infra/issues/comments/")).singleElement()
                .satisfies(r -> {
                    assertThat(r.rawPath()).isEqualTo("/repos/acme/infra/issues/comments/1001");
                    assertThat(r.json().toString()).isEqualTo("{\"body\":\"" + MARKED_V2.replace("\n", "\\n") + "\"}");
                });
    }

    @Test
    void gitHubFindsTheMarkerOnALaterPage() {
        for (int i = 0; i < 120; i++) {
            github.addComment("acme/infra", 7, "chatter " + i, "bob");
        }
        github.addComment("acme/infra", 7, MARKED_V1, "gitops-sync[bot]");
        PullRequestComment comment = comment(ForgeKind.GITHUB, github.baseUrl(), "ghp");

        assertThat(comment.upsert(REPO, 7, "plan v2")).isEqualTo(PullRequestComment.Outcome.UPDATED);
        assertThat(github.commentBodies("acme/infra", 7)).hasSize(121).last().isEqualTo(MARKED_V2);
    }

    @Test
    void giteaCommentIsCreatedThenEditedInPlace() {
        PullRequestComment comment = comment(ForgeKind.FORGEJO, gitea.baseUrl(), "tea");
        comment.upsert(REPO, 7, "plan v1");
        gitea.addComment("acme/infra", 7, "thanks");
        comment.upsert(REPO, 7, "plan v2");

        assertThat(gitea.commentBodies("acme/infra", 7)).containsExactly(MARKED_V2, "thanks");
        assertThat(gitea.requests("PATCH", "/api/v1/repos/acme/infra/issues/comments/1")).hasSize(1);
    }

    @Test
    void gitLabNoteIsCreatedThenEditedInPlaceSkippingSystemNotes() {
        gitlab.addSystemNote("infra/hosts", 12, "added 1 commit " + PullRequestComment.MARKER);
        PullRequestComment comment = comment(ForgeKind.GITLAB, gitlab.baseUrl(), "glpat");
        RepositoryCoordinates project = RepositoryCoordinates.gitLabProject("infra/hosts");

        assertThat(comment.upsert(project, 12, "plan v1")).isEqualTo(PullRequestComment.Outcome.CREATED);
        assertThat(comment.upsert(project, 12, "plan v2")).isEqualTo(PullRequestComment.Outcome.UPDATED);

        assertThat(gitlab.noteBodies("infra/hosts", 12)).containsExactly(MARKED_V2);
        assertThat(gitlab.requests("PUT", "/api/v4/projects/infra%2Fhosts/merge_requests/12/notes/501")).hasSize(1);
    }
}
