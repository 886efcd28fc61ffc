package org.gitopssync.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.gitopssync.config.Credential;

/**
 * {@code [web] read_token}: the bearer token readers of the pages, the API and the metrics must send. Compared as
 * SHA-256 digests with {@link MessageDigest#isEqual}, so neither the time taken nor the length tells a guess apart.
 */
final class ReadToken {

    private static final String BEARER = "bearer ";

    private final byte[] expected;

    /** {@code token} null: every reader is admitted. */
    ReadToken(Credential token) {
        this.expected = token == null ? null : digest(token.revealBytes());
    }

    boolean admits(String authorization) {
        if (expected == null) {
            return true;
        }
        byte[] given = authorization != null && authorization.length() > BEARER.length()
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        return MessageDigest.isEqual(expected, digest(given));
    }

    private static byte[] digest(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
