package org.gitopssync.forge;

import org.gitopssync.config.Credential;

/** Checks that a webhook delivery comes from the forge holding the shared secret. */
public interface WebhookVerifier {

    /** Why a delivery passed or failed verification. */
    enum Result { VALID, MISSING, MALFORMED, MISMATCH }

    Result verify(WebhookRequest request);

    /**
     * GitHub: {@code X-Hub-Signature-256: sha256=<hex>}; Gitea: {@code X-Gitea-Signature: <hex>}; Forgejo:
     * {@code X-Forgejo-Signature} (or Gitea's header); GitLab: {@code X-Gitlab-Token: <secret>}.
     */
    static WebhookVerifier forForge(ForgeKind kind, Credential secret) {
        return switch (kind) {
            case GITHUB -> new HmacSignatureVerifier(secret, "sha256=", "X-Hub-Signature-256");
            case GITEA -> new HmacSignatureVerifier(secret, "", "X-Gitea-Signature");
            case FORGEJO -> new HmacSignatureVerifier(secret, "", "X-Forgejo-Signature", "X-Gitea-Signature");
            case GITLAB -> new GitLabTokenVerifier(secret);
        };
    }
}
