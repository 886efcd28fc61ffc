package org.gitopssync.forge;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.gitopssync.config.Credential;

/** HMAC-SHA256 over the raw body, hex in a header, optionally behind a prefix (GitHub's "sha256="). */
final class HmacSignatureVerifier implements WebhookVerifier {

    private static final int SHA256_BYTES = 32;

    private final SecretKeySpec key;
    private final String prefix;
    private final String[] headers;

    HmacSignatureVerifier(Credential secret, String prefix, String... headers) {
        // the secret as the forge knows it: a file written by echo or an editor ends in a newline
        // that is not part of it (reveal() drops it, as for every other credential)
        this.key = new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.prefix = prefix;
        this.headers = headers.clone();
    }

    @Override
    public Result verify(WebhookRequest request) {
        Optional<String> header = request.firstHeader(headers);
        if (header.isEmpty()) {
            return Result.MISSING;
        }
        String value = header.get();
        if (!value.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return Result.MALFORMED;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(value.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            return Result.MALFORMED;
        }
        if (given.length != SHA256_BYTES) {
            return Result.MALFORMED;
        }
        return MessageDigest.isEqual(hmac(request.bodyView()), given) ? Result.VALID : Result.MISMATCH;
    }

    byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
