package org.gitopssync.forge;

/** Checks that a webhook delivery comes from the forge holding the shared secret. */
public interface WebhookVerifier {

    /** Why a delivery passed or failed verification. */
    enum Result { VALID, MISSING, MALFORMED, MISMATCH }

    Result verify(WebhookRequest request);
}
