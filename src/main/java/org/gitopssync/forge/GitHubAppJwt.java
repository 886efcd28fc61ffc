package org.gitopssync.forge;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Mints the short-lived RS256 JWT a GitHub App presents to ask for installation tokens. */
final class GitHubAppJwt {

    /** GitHub recommends back-dating iat by a minute against clock drift. */
    private static final long IAT_SKEW_SECONDS = 60;
    /** GitHub rejects exp more than ten minutes ahead; stay a minute inside that. */
    private static final long LIFETIME_SECONDS = 540;

    private final String issuer;
    private final PrivateKey key;
    private final Clock clock;
    private final ObjectMapper json;

    GitHubAppJwt(String issuer, PrivateKey key, Clock clock, ObjectMapper json) {
        this.issuer = issuer;
        this.key = key;
        this.clock = clock;
        this.json = json;
    }

    String mint() {
        long now = clock.instant().getEpochSecond();
        ObjectNode header = json.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        ObjectNode claims = json.createObjectNode()
                .put("iat", now - IAT_SKEW_SECONDS)
                .put("exp", now + LIFETIME_SECONDS);
        // A numeric app id goes out as a number, a client id ("Iv23...") as a string.
        if (issuer.chars().allMatch(Character::isDigit)) {
            claims.put("iss", Long.parseLong(issuer));
        } else {
            claims.put("iss", issuer);
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw ForgeException.misconfigured(ForgeKind.GITHUB, null,
                    "cannot sign the GitHub App JWT (the private key does not sign with RS256)");
        }
    }
}
