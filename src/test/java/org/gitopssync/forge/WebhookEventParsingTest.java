package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gitopssync.forge.WebhookFixtures.delivery;
import static org.gitopssync.forge.WebhookFixtures.payload;

import java.nio.charset.StandardCharsets;
import org.gitopssync.config.Credential;
import org.junit.jupiter.api.Test;

/** Parsing realistic payloads (test resources, shaped after the forges' documented examples). */
class WebhookEventParsingTest {

    static final String BEFORE = "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c";
    static final String AFTER = "9a8b7c6d5e4f30219a8b7c6d5e4f30219a8b7c6d";

    static WebhookEvent parse(ForgeKind kind, String event, String resource) {
        WebhookReceiver receiver = new WebhookReceiver(kind, WebhookFixtures.followed(kind),
                Credential.of(WebhookFixtures.SECRET, "test"), WebhookReceiver.Settings.defaults());
        WebhookDecision decision = receiver.handle(delivery(kind, event, "d-" + resource, payload(resource)));
        assertThat(decision).isInstanceOf(WebhookDecision.Accepted.class);
        return ((WebhookDecision.Accepted) decision).event();
    }

    @Test
    void gitHubPush() {
        assertThat(parse(ForgeKind.GITHUB, "push", "github-push.json")).isEqualTo(new WebhookEvent.PushEvent(
                "acme/infra", "https://github.com/acme/infra.git", "git@github.com:acme/infra.git",
                "refs/heads/main", "main", BEFORE, AFTER));
    }

    @Test
    void gitHubTagPushAndBranchDeletionAreIgnored() {
        assertThat(parse(ForgeKind.GITHUB, "push", "github-push-tag.json"))
                .isEqualTo(new WebhookEvent.IgnoredEvent("push to refs/tags/v1.0 is not a branch"));
        assertThat(parse(ForgeKind.GITHUB, "push", "github-push-deleted.json"))
                .isEqualTo(new WebhookEvent.IgnoredEvent("branch deleted: refs/heads/main"));
    }

    @Test
    void aDeletedTagIsNamedAsATag() {
        byte[] body = new String(payload("github-push-deleted.json"), StandardCharsets.UTF_8)
                .replace("\"refs/heads/main\"", "\"refs/tags/v1.0\"").getBytes(StandardCharsets.UTF_8);
        WebhookDecision decision = new WebhookReceiver(ForgeKind.GITHUB, WebhookFixtures.followed(ForgeKind.GITHUB),
                Credential.of(WebhookFixtures.SECRET, "test"), WebhookReceiver.Settings.defaults())
                .handle(delivery(ForgeKind.GITHUB, "push", "d-tag", body));

        assertThat(decision).isEqualTo(new WebhookDecision.Accepted("d-tag",
                new WebhookEvent.IgnoredEvent("tag deleted: refs/tags/v1.0")));
    }

    @Test
    void gitHubPullRequestSynchronize() {
        assertThat(parse(ForgeKind.GITHUB, "pull_request", "github-pull_request-synchronize.json"))
                .isEqualTo(new WebhookEvent.PullRequestEvent(PullRequestAction.SYNCHRONIZED, 42, AFTER, "bump-postgres",
                        "main", "acme/infra", "acme/infra", false, "bob"));
    }

    @Test
    void gitHubPullRequestFromAForkIsMarked() {
        assertThat(parse(ForgeKind.GITHUB, "pull_request", "github-pull_request-opened-fork.json"))
                .isEqualTo(new WebhookEvent.PullRequestEvent(PullRequestAction.OPENED, 42, AFTER, "patch-1", "main",
                        "mallory/infra", "acme/infra", true, "mallory"));
    }

    @Test
    void gitHubClosedPullRequestAndPingAreIgnored() {
        assertThat(parse(ForgeKind.GITHUB, "pull_request", "github-pull_request-closed.json"))
                .isEqualTo(new WebhookEvent.IgnoredEvent("pull request action closed"));
        WebhookEvent ping = parse(ForgeKind.GITHUB, "ping", "github-ping.json");
        assertThat(ping).isEqualTo(new WebhookEvent.IgnoredEvent("ping"));
    }

    @Test
    void ignoredEventIsAnswered200() {
        WebhookReceiver receiver = new WebhookReceiver(ForgeKind.GITHUB, WebhookFixtures.followed(ForgeKind.GITHUB),
                Credential.of(WebhookFixtures.SECRET, "t"), WebhookReceiver.Settings.defaults());
        WebhookDecision decision = receiver.handle(delivery(ForgeKind.GITHUB, "issues", "d-1",
                payload("github-ping.json")));
        assertThat(decision.httpStatus()).isEqualTo(200);
        assertThat(decision.reason()).isEqualTo("event issues is not handled");
    }

    @Test
    void giteaPushAndForgejoPush() {
        WebhookEvent.PushEvent expected = new WebhookEvent.PushEvent("acme/infra", "https://git.example/acme/infra.git",
                "git@git.example:acme/infra.git", "refs/heads/main", "main", BEFORE, AFTER);
        assertThat(parse(ForgeKind.GITEA, "push", "gitea-push.json")).isEqualTo(expected);
        assertThat(parse(ForgeKind.FORGEJO, "push", "gitea-push.json")).isEqualTo(expected);
    }

    @Test
    void giteaPullRequestSynchronized() {
        assertThat(parse(ForgeKind.GITEA, "pull_request", "gitea-pull_request-synchronized.json"))
                .isEqualTo(new WebhookEvent.PullRequestEvent(PullRequestAction.SYNCHRONIZED, 7, AFTER, "bump-postgres",
                        "main", "acme/infra", "acme/infra", false, "bob"));
    }

    @Test
    void giteaPullRequestNamedOnlyByEventType() {
        WebhookReceiver receiver = new WebhookReceiver(ForgeKind.GITEA, WebhookFixtures.followed(ForgeKind.GITEA),
                Credential.of(WebhookFixtures.SECRET, "t"), WebhookReceiver.Settings.defaults());
        byte[] body = payload("gitea-pull_request-synchronized.json");
        java.util.Map<String, String> headers = WebhookFixtures.headers(ForgeKind.GITEA, "pull_request", "d-1", body);
        headers.remove("X-Gitea-Event");
        WebhookDecision decision = receiver.handle(new WebhookRequest(headers, body));
        assertThat(decision).isInstanceOfSatisfying(WebhookDecision.Accepted.class,
                a -> assertThat(a.event()).isInstanceOf(WebhookEvent.PullRequestEvent.class));
    }

    @Test
    void gitLabPush() {
        assertThat(parse(ForgeKind.GITLAB, "Push Hook", "gitlab-push.json")).isEqualTo(new WebhookEvent.PushEvent(
                "infra/nix/hosts", "https://gitlab.example/infra/nix/hosts.git",
                "git@gitlab.example:infra/nix/hosts.git", "refs/heads/main", "main", BEFORE, AFTER));
    }

    @Test
    void gitLabMergeRequestWithNewCommits() {
        assertThat(parse(ForgeKind.GITLAB, "Merge Request Hook", "gitlab-merge_request-update.json"))
                .isEqualTo(new WebhookEvent.PullRequestEvent(PullRequestAction.SYNCHRONIZED, 12, AFTER, "bump-postgres",
                        "main", "infra/nix/hosts", "infra/nix/hosts", false, "bob"));
    }

    @Test
    void gitLabMergeRequestFromAForkProject() {
        assertThat(parse(ForgeKind.GITLAB, "Merge Request Hook", "gitlab-merge_request-open-fork.json"))
                .isEqualTo(new WebhookEvent.PullRequestEvent(PullRequestAction.OPENED, 12, AFTER, "bump-postgres",
                        "main", "mallory/hosts", "infra/nix/hosts", true, "mallory"));
    }

    @Test
    void gitLabMergeRequestEditWithoutCommitsIsIgnored() {
        assertThat(parse(ForgeKind.GITLAB, "Merge Request Hook", "gitlab-merge_request-update-title.json"))
                .isEqualTo(new WebhookEvent.IgnoredEvent("merge request updated without new commits"));
    }

    @Test
    void gitLabOtherHooksAreIgnored() {
        assertThat(parse(ForgeKind.GITLAB, "Tag Push Hook", "gitlab-push.json"))
                .isEqualTo(new WebhookEvent.IgnoredEvent("event Tag Push Hook is not handled"));
    }

    @Test
    void approvalSignalsAskForAnotherLookAtTheHead() {
        assertThat(parse(ForgeKind.GITHUB, "pull_request", "github-pull_request-labeled-fork.json"))
                .as("the author is the pull request's, not the labeller's")
                .isEqualTo(new WebhookEvent.PullRequestEvent(PullRequestAction.LABELED, 42, AFTER, "patch-1", "main",
                        "mallory/infra", "acme/infra", true, "mallory"));
        assertThat(parse(ForgeKind.GITHUB, "issue_comment", "github-issue_comment-approve.json"))
                .isEqualTo(new WebhookEvent.PullRequestCommentEvent("acme/infra", 42));
        assertThat(parse(ForgeKind.GITHUB, "issue_comment", "github-issue_comment-on-issue.json"))
                .isEqualTo(new WebhookEvent.IgnoredEvent("comment created on an issue"));
        assertThat(parse(ForgeKind.GITLAB, "Note Hook", "gitlab-note-approve.json"))
                .as("a note names the head; its payload does not name the author")
                .isEqualTo(new WebhookEvent.PullRequestEvent(PullRequestAction.COMMENTED, 12, AFTER, "bump-postgres",
                        "main", "mallory/hosts", "infra/nix/hosts", true, null));
        assertThat(parse(ForgeKind.GITLAB, "Merge Request Hook", "gitlab-merge_request-update-labels.json"))
                .isEqualTo(new WebhookEvent.PullRequestEvent(PullRequestAction.LABELED, 12, AFTER, "bump-postgres",
                        "main", "infra/nix/hosts", "infra/nix/hosts", false, null));
    }
}
