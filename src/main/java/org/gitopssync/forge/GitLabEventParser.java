package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;

/** Parses GitLab "Push Hook", "Merge Request Hook" and "Note Hook" payloads. */
final class GitLabEventParser {

    private GitLabEventParser() {
    }

    static WebhookEvent parse(String event, JsonNode payload) {
        return switch (event) {
            case "Push Hook" -> push(payload);
            case "Merge Request Hook" -> mergeRequest(payload);
            case "Note Hook" -> note(payload);
            default -> new WebhookEvent.IgnoredEvent("event " + event + " is not handled");
        };
    }

    private static WebhookEvent push(JsonNode payload) {
        String ref = PayloadFields.text(payload, "ref");
        String after = PayloadFields.text(payload, "after");
        if (PayloadFields.isNullSha(after)) {
            return new WebhookEvent.IgnoredEvent(PayloadFields.refKind(ref) + " deleted: " + ref);
        }
        if (!ref.startsWith("refs/heads/")) {
            return new WebhookEvent.IgnoredEvent("push to " + ref + " is not a branch");
        }
        return new WebhookEvent.PushEvent(PayloadFields.text(payload, "project.path_with_namespace"),
                PayloadFields.optionalText(payload, "project.git_http_url"),
                PayloadFields.optionalText(payload, "project.git_ssh_url"),
                ref, ref.substring("refs/heads/".length()), PayloadFields.optionalText(payload, "before"),
                PayloadFields.sha(payload, "after"));
    }

    private static WebhookEvent mergeRequest(JsonNode payload) {
        JsonNode mr = payload.path("object_attributes");
        String action = PayloadFields.text(mr, "action");
        PullRequestAction normalized = switch (action) {
            case "open" -> PullRequestAction.OPENED;
            case "update" -> PullRequestAction.SYNCHRONIZED;
            case "reopen" -> PullRequestAction.REOPENED;
            default -> null;
        };
        if (normalized == null) {
            return new WebhookEvent.IgnoredEvent("merge request action " + action);
        }
        // GitLab sends "update" for title, label or assignee edits too; only new commits carry oldrev.
        String author = PayloadFields.optionalText(payload, "user.username");
        if (normalized == PullRequestAction.SYNCHRONIZED && PayloadFields.optionalText(mr, "oldrev") == null) {
            if (!payload.path("changes").has("labels")) {
                return new WebhookEvent.IgnoredEvent("merge request updated without new commits");
            }
            // "user" is whoever changed the labels, not the author: trust nobody by name here.
            normalized = PullRequestAction.LABELED;
            author = null;
        }
        JsonNode source = mr.path("source_project_id");
        JsonNode target = mr.path("target_project_id");
        if (!source.canConvertToLong() || !target.canConvertToLong()) {
            throw new MalformedPayloadException("missing object_attributes.source_project_id/target_project_id");
        }
        String baseRepository = PayloadFields.optionalText(mr, "target.path_with_namespace");
        if (baseRepository == null) {
            baseRepository = PayloadFields.text(payload, "project.path_with_namespace");
        }
        return new WebhookEvent.PullRequestEvent(normalized, PayloadFields.number(mr, "iid"),
                PayloadFields.sha(mr, "last_commit.id"), PayloadFields.text(mr, "source_branch"),
                PayloadFields.text(mr, "target_branch"), PayloadFields.optionalText(mr, "source.path_with_namespace"),
                baseRepository, source.asLong() != target.asLong(), author);
    }

    /** An approve note on a merge request; the payload names its head, not its author (null: trusted by nobody). */
    private static WebhookEvent note(JsonNode payload) {
        JsonNode note = payload.path("object_attributes");
        if (!"MergeRequest".equals(note.path("noteable_type").asText())) {
            return new WebhookEvent.IgnoredEvent("note on " + note.path("noteable_type").asText("something else"));
        }
        if (ApproveCommand.parse(PayloadFields.optionalText(note, "note")).isEmpty()) {
            return new WebhookEvent.IgnoredEvent("note without " + PullRequestApprovals.COMMAND);
        }
        JsonNode mr = payload.path("merge_request");
        JsonNode source = mr.path("source_project_id");
        JsonNode target = mr.path("target_project_id");
        if (!source.canConvertToLong() || !target.canConvertToLong()) {
            throw new MalformedPayloadException("missing merge_request.source_project_id/target_project_id");
        }
        return new WebhookEvent.PullRequestEvent(PullRequestAction.COMMENTED, PayloadFields.number(mr, "iid"),
                PayloadFields.sha(mr, "last_commit.id"), PayloadFields.text(mr, "source_branch"),
                PayloadFields.text(mr, "target_branch"), PayloadFields.optionalText(mr, "source.path_with_namespace"),
                PayloadFields.text(payload, "project.path_with_namespace"), source.asLong() != target.asLong(), null);
    }
}
