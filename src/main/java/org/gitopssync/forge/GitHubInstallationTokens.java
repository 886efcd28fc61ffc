package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.gitopssync.config.Credential;
import org.jboss.logging.Logger;

/** Fetches a GitHub App installation token and reuses it until shortly before it expires. */
final class GitHubInstallationTokens implements RequestAuthorizer {

    private static final Logger LOG = Logger.getLogger(GitHubInstallationTokens.class);
    /** Renew this long before expires_at so a request never carries a token that dies in flight. */
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);

    private final ForgeHttp appHttp;
    private final long installationId;
    private final Clock clock;

    private Credential token;
    private Instant expiresAt = Instant.MIN;

    /** {@code appHttp} authorizes with the app JWT. */
    GitHubInstallationTokens(ForgeHttp appHttp, long installationId, Clock clock) {
        this.appHttp = appHttp;
        this.installationId = installationId;
        this.clock = clock;
    }

    @Override
    public void authorize(HttpRequest.Builder request) {
        request.header("Authorization", "Bearer " + current().reveal());
    }

    @Override
    public synchronized boolean renewAfterUnauthorized() {
        token = null;
        return true;
    }

    synchronized Credential current() {
        if (token == null || !clock.instant().isBefore(expiresAt.minus(RENEW_BEFORE_EXPIRY))) {
            fetch();
        }
        return token;
    }

    private void fetch() {
        ForgeHttp.Target target = new ForgeHttp.Target("App installation " + installationId + " token request",
                null, null);
        ForgeResponse response = appHttp.send("POST", "/app/installations/" + installationId + "/access_tokens",
                null, target);
        JsonNode body = appHttp.readJson(response, target);
        String value = body.path("token").asText("");
        if (value.isEmpty()) {
            throw ForgeException.misconfigured(ForgeKind.GITHUB, null,
                    "installation token answer for installation " + installationId + " has no token");
        }
        try {
            expiresAt = Instant.parse(body.path("expires_at").asText(""));
        } catch (DateTimeParseException e) {
            // Documented lifetime is one hour; without expires_at assume less so we renew early.
            expiresAt = clock.instant().plus(Duration.ofMinutes(30));
        }
        token = Credential.of(value, "GitHub App installation " + installationId);
        LOG.debugf("GitHub App installation %d token renewed, valid until %s", installationId, expiresAt);
    }
}
