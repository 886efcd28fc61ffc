package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.gitopssync.config.Credential;
import org.gitopssync.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reading approvals (label and approve comments, by writers only) from each forge's documented endpoints. */
class PullRequestApprovalsTest {

    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static final RepositoryCoordinates REPO = RepositoryCoordinates.of("acme", "infra");
    static final String LABEL = "gitops-sync: approved";
    static final String HEAD = "ab12cd34".repeat(5);

    final MutableClock clock = MutableClock.atDefault();
    final GitHubApiDouble github = new GitHubApiDouble(clock, "ghp");
    final GiteaApiDouble gitea = new GiteaApiDouble("tea", clock);
    final GitLabApiDouble gitlab = new GitLabApiDouble("glpat", clock);

    @AfterEach
    void stop() {
        github.close();
        gitea.close();
        gitlab.close();
    }

    PullRequestApprovals approvals(ForgeKind kind, URI url, String token) {
        return ForgeApi.connect(new ForgeConnection(kind, url, new ForgeAuth.Token(Credential.of(token, "t"))),
                CLIENT, clock).approvals();
    }

    List<String> all(PullRequestApprovals forge, RepositoryCoordinates repo) {
        return forge.approvals(repo, 7, LABEL, a -> true).stream()
                .map(a -> a.describe() + " at " + a.at() + (a.commit() == null ? "" : " for " + a.commit())).toList();
    }

    @Test
    void gitHubCountsTheLabelAndApproveCommentsOfWritersOnly() {
        github.grant("acme/infra", "maint", "maintain");
        github.grant("acme/infra", "tri", "triage");
        github.addComment("acme/infra", 7, "/gitops-sync approve", "stranger");
        github.addComment("acme/infra", 7, "looks fine\n/gitops-sync approve", "tri");
        github.addComment("acme/infra", 7, "> /gitops-sync approve\nquoting is not approving", "maint");
        clock.advance(Duration.ofMinutes(1));
        github.addComment("acme/infra", 7, "/gitops-sync approve AB12CD34", "maint");
        github.label("acme/infra", 7, LABEL, "tri");
        clock.advance(Duration.ofMinutes(1));
        github.label("acme/infra", 7, "Gitops-Sync: Approved", "maint");

        assertThat(all(approvals(ForgeKind.GITHUB, github.baseUrl(), "ghp"), REPO)).containsExactly(
                "label by maint at 2025-06-02T10:02:00Z",
                "comment by maint at 2025-06-02T10:01:00Z for ab12cd34");
        assertThat(github.requests("GET", "/repos/acme/infra/collaborators/")).extracting(r -> r.rawPath())
                .as("each user's permission is asked once")
                .containsExactlyInAnyOrder("/repos/acme/infra/collaborators/maint/permission",
                        "/repos/acme/infra/collaborators/tri/permission",
                        "/repos/acme/infra/collaborators/stranger/permission");
    }

    @Test
    void gitHubRemovedLabelNoLongerApprovesAndOnlyWantedApprovalsCostALookup() {
        github.grant("acme/infra", "admin1", "admin");
        github.label("acme/infra", 7, LABEL, "admin1");
        clock.advance(Duration.ofMinutes(1));
        github.unlabel("acme/infra", 7, LABEL, "admin1");
        github.addComment("acme/infra", 7, "/gitops-sync approve", "admin1");
        PullRequestApprovals forge = approvals(ForgeKind.GITHUB, github.baseUrl(), "ghp");

        assertThat(all(forge, REPO)).containsExactly("comment by admin1 at 2025-06-02T10:01:00Z");
        int before = github.requests("GET", "/repos/acme/infra/collaborators/").size();
        assertThat(forge.approvals(REPO, 7, LABEL, a -> a.approves(HEAD, Instant.parse("2025-06-02T10:05:00Z"))))
                .as("approvals older than the head").isEmpty();
        assertThat(github.requests("GET", "/repos/acme/infra/collaborators/")).hasSize(before);
    }

    @Test
    void giteaReadsLabelsFromTheTimelineAndRolesFromCollaboratorPermission() {
        gitea.grant("acme/infra", "owner1", "owner");
        gitea.grant("acme/infra", "reader", "read");
        gitea.addComment("acme/infra", 7, "/gitops-sync approve", "reader");
        gitea.label("acme/infra", 7, LABEL, "owner1", true);
        clock.advance(Duration.ofMinutes(1));
        gitea.addComment("acme/infra", 7, "/gitops-sync approve", "owner1");
        gitea.label("acme/infra", 7, "other", "owner1", false);

        assertThat(all(approvals(ForgeKind.GITEA, gitea.baseUrl(), "tea"), REPO)).containsExactly(
                "label by owner1 at 2025-06-02T10:00:00Z", "comment by owner1 at 2025-06-02T10:01:00Z");

        clock.advance(Duration.ofMinutes(1));
        gitea.label("acme/infra", 7, LABEL, "owner1", false);
        assertThat(all(approvals(ForgeKind.FORGEJO, gitea.baseUrl(), "tea"), REPO))
                .containsExactly("comment by owner1 at 2025-06-02T10:01:00Z");
    }

    @Test
    void gitLabNeedsDeveloperAccessAndSkipsSystemNotes() {
        RepositoryCoordinates project = RepositoryCoordinates.gitLabProject("infra/hosts");
        gitlab.addMember("infra/hosts", "dev", 30);
        gitlab.addMember("infra/hosts", "rep", 20);
        gitlab.addNote("infra/hosts", 7, "/gitops-sync approve", "rep");
        gitlab.addNote("infra/hosts", 7, "/gitops-sync approve", "outsider");
        gitlab.addSystemNote("infra/hosts", 7, "/gitops-sync approve");
        gitlab.labelEvent("infra/hosts", 7, LABEL, "rep", true);
        clock.advance(Duration.ofMinutes(1));
        gitlab.addNote("infra/hosts", 7, "/gitops-sync approve", "dev");

        assertThat(all(approvals(ForgeKind.GITLAB, gitlab.baseUrl(), "glpat"), project))
                .containsExactly("comment by dev at 2025-06-02T10:01:00Z");

        gitlab.labelEvent("infra/hosts", 7, LABEL, "dev", true);
        assertThat(all(approvals(ForgeKind.GITLAB, gitlab.baseUrl(), "glpat"), project))
                .containsExactly("label by dev at 2025-06-02T10:01:00Z", "comment by dev at 2025-06-02T10:01:00Z");
        assertThat(gitlab.requests("GET", "/api/v4/projects/infra%2Fhosts/members/all/")).isNotEmpty();
    }

    @Test
    void aForgeThatCannotAnswerFailsLoudlySoTheCheckWaits() {
        github.grant("acme/infra", "maint", "maintain");
        github.addComment("acme/infra", 7, "/gitops-sync approve", "maint");
        github.failNext(ApiDouble.Reply.json(403, java.util.Map.of("message", "Resource not accessible by integration")));

        assertThatThrownBy(() -> approvals(ForgeKind.GITHUB, github.baseUrl(), "ghp").approvals(REPO, 7, LABEL, a -> true))
                .isInstanceOf(ForgeException.class)
                .hasMessageContaining("HTTP 403 (Resource not accessible by integration)");
    }
}
