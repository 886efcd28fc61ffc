package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;

/** Parses GitHub push, pull_request and issue_comment payloads; Gitea and Forgejo send the same shapes and names. */
final class GitHubEventParser {

    private GitHubEventParser() {
    }

    static WebhookEvent parse(String event, JsonNode payload) {
        return switch (event) {
            case "push" -> push(payload);
            // Gitea names the event of a pull request update "pull_request_sync" in X-Gitea-Event-Type.
            case "pull_request", "pull_request_sync", "pull_request_label" -> pullRequest(payload);
            case "issue_comment", "pull_request_comment" -> comment(payload);
            case "ping" -> new WebhookEvent.IgnoredEvent("ping");
            default -> new WebhookEvent.IgnoredEvent("event " + event + " is not handled");
        };
    }

    private static WebhookEvent push(JsonNode payload) {
        String ref = PayloadFields.text(payload, "ref");
        String after = PayloadFields.text(payload, "after");
        if (payload.path("deleted").asBoolean(false) || PayloadFields.isNullSha(after)) {
            return new WebhookEvent.IgnoredEvent(PayloadFields.refKind(ref) + " deleted: " + ref);
        }
        if (!ref.startsWith("refs/heads/")) {
            return new WebhookEvent.IgnoredEvent("push to " + ref + " is not a branch");
        }
        String before = PayloadFields.optionalText(payload, "before");
        return new WebhookEvent.PushEvent(PayloadFields.text(payload, "repository.full_name"),
                PayloadFields.optionalText(payload, "repository.clone_url"),
                PayloadFields.optionalText(payload, "repository.ssh_url"),
                ref, ref.substring("refs/heads/".length()), before, PayloadFields.sha(payload, "after"));
    }

    /** Only a new comment that approves, on a pull request (GitHub sends issue comments under the same event). */
    private static WebhookEvent comment(JsonNode payload) {
        String action = PayloadFields.text(payload, "action");
        boolean onPullRequest = payload.path("is_pull").asBoolean(false)
                || payload.path("issue").path("pull_request").isObject();
        if (!action.equals("created") || !onPullRequest) {
            return new WebhookEvent.IgnoredEvent("comment " + action + (onPullRequest ? "" : " on an issue"));
        }
        if (ApproveCommand.parse(PayloadFields.optionalText(payload, "comment.body")).isEmpty()) {
            return new WebhookEvent.IgnoredEvent("comment without " + PullRequestApprovals.COMMAND);
        }
        return new WebhookEvent.PullRequestCommentEvent(PayloadFields.text(payload, "repository.full_name"),
                PayloadFields.number(payload, "issue.number"));
    }

    private static WebhookEvent pullRequest(JsonNode payload) {
        String action = PayloadFields.text(payload, "action");
        PullRequestAction normalized = switch (action) {
            case "opened" -> PullRequestAction.OPENED;
            case "synchronize", "synchronized" -> PullRequestAction.SYNCHRONIZED;
            case "reopened" -> PullRequestAction.REOPENED;
            case "labeled", "label_updated" -> PullRequestAction.LABELED;
            default -> null;
        };
        if (normalized == null) {
            return new WebhookEvent.IgnoredEvent("pull request action " + action);
        }
        JsonNode pr = payload.path("pull_request");
        String headRepository = PayloadFields.optionalText(pr, "head.repo.full_name");
        String baseRepository = PayloadFields.text(pr, "base.repo.full_name");
        int number = payload.has("number") ? PayloadFields.number(payload, "number")
                : PayloadFields.number(pr, "number");
        return new WebhookEvent.PullRequestEvent(normalized, number,
                PayloadFields.sha(pr, "head.sha"), PayloadFields.text(pr, "head.ref"), PayloadFields.text(pr, "base.ref"),
                headRepository, baseRepository, GitHubPullRequestLister.isFork(pr.path("head").path("repo"),
                        pr.path("base").path("repo")),
                PayloadFields.optionalText(pr, "user.login"));
    }
}
