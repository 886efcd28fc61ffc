package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The one repository this agent follows on a forge. Organisation webhooks, GitHub Apps and GitLab
 * group hooks deliver events for every repository they cover: only this one's are acted on.
 */
record FollowedRepository(ForgeKind kind, RepositoryCoordinates repository) {

    /**
     * The repository an event names when it is not the followed one, else empty. A pull request is
     * judged by its base (the repository it would merge into); a payload whose repository and
     * pull request base disagree names the stranger of the two.
     */
    Optional<String> stranger(JsonNode payload, WebhookEvent event) {
        if (event instanceof WebhookEvent.IgnoredEvent) {
            return Optional.empty();
        }
        if (repository.isNumericId()) {
            return strangerById(payload, event);
        }
        String named = null;
        if (event instanceof WebhookEvent.PushEvent push) {
            named = push.repository();
        } else if (event instanceof WebhookEvent.PullRequestEvent pr) {
            named = pr.baseRepository();
        } else if (event instanceof WebhookEvent.PullRequestCommentEvent comment) {
            named = comment.repository();
        }
        String hooked = PayloadFields.optionalText(payload, kind.hookRepositoryField());
        if (named == null && hooked == null) {
            // an event that names no repository cannot be shown to be for this one
            return Optional.of("an unnamed repository");
        }
        for (String name : new String[] {named, hooked}) {
            if (name != null && !name.equalsIgnoreCase(repository.fullName())) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** A GitLab project configured by its numeric id is compared with the ids the payload carries. */
    private Optional<String> strangerById(JsonNode payload, WebhookEvent event) {
        JsonNode id = event instanceof WebhookEvent.PullRequestEvent
                ? payload.path("object_attributes").path("target_project_id")
                : payload.has("project_id") ? payload.path("project_id") : payload.path("project").path("id");
        if (id.canConvertToLong() && Long.toString(id.asLong()).equals(repository.fullName())) {
            return Optional.empty();
        }
        return Optional.of("project " + (id.canConvertToLong() ? id.asText() : "without an id"));
    }
}
