package org.gitopssync.forge;

/** The answer to one webhook delivery: the HTTP status for the forge, and the event when there is one. */
public sealed interface WebhookDecision {

    int httpStatus();

    String reason();

    /** A verified, new delivery; an {@link WebhookEvent.IgnoredEvent} is answered 200, anything else 202. */
    record Accepted(String deliveryId, WebhookEvent event) implements WebhookDecision {
        @Override
        public int httpStatus() {
            return event instanceof WebhookEvent.IgnoredEvent ? 200 : 202;
        }

        @Override
        public String reason() {
            return event instanceof WebhookEvent.IgnoredEvent ignored ? ignored.reason() : "accepted";
        }
    }

    /**
     * A delivery seen before (redelivery, retry or replay): answered 200 so the forge stops retrying;
     * GitLab disables hooks that keep failing.
     */
    record Duplicate(String deliveryId) implements WebhookDecision {
        @Override
        public int httpStatus() {
            return 200;
        }

        @Override
        public String reason() {
            return "duplicate delivery";
        }
    }

    /** Refused: 401 signature, 413 body too large, 400 malformed. */
    record Rejected(int httpStatus, String reason) implements WebhookDecision {
    }
}
