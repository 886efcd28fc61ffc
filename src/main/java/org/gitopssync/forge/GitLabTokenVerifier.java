package org.gitopssync.forge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.gitopssync.config.Credential;

/** GitLab sends the shared secret itself in {@code X-Gitlab-Token}. */
final class GitLabTokenVerifier implements WebhookVerifier {

    private final byte[] expectedDigest;

    GitLabTokenVerifier(Credential secret) {
        this.expectedDigest = sha256(secret.reveal().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Result verify(WebhookRequest request) {
        Optional<String> token = request.header("X-Gitlab-Token");
        if (token.isEmpty()) {
            return Result.MISSING;
        }
        // Comparing digests keeps the comparison constant-time even when the lengths differ.
        return MessageDigest.isEqual(expectedDigest, sha256(token.get().getBytes(StandardCharsets.UTF_8)))
                ? Result.VALID : Result.MISMATCH;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
