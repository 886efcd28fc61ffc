package org.gitopssync.forge;

import java.net.URI;
import java.util.Objects;

/**
 * Where and as whom to talk to a forge. {@code baseUrl} is the API root for GitHub
 * ({@code https://api.github.com}, or {@code https://ghe.example/api/v3}) and the instance URL for Gitea,
 * Forgejo and GitLab ({@code https://gitea.example}); {@code /api/v1} or {@code /api/v4} is appended.
 */
public record ForgeConnection(ForgeKind kind, URI baseUrl, ForgeAuth auth) {

    public static final URI GITHUB_API = URI.create("https://api.github.com");

    public ForgeConnection {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(auth, "auth");
        String scheme = baseUrl.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("forge URL must be http(s): " + baseUrl);
        }
        if (baseUrl.getRawUserInfo() != null || baseUrl.getRawQuery() != null) {
            throw new IllegalArgumentException("forge URL must not carry user info or a query: " + baseUrl.getHost());
        }
        if (auth instanceof ForgeAuth.GitHubApp && kind != ForgeKind.GITHUB) {
            throw new IllegalArgumentException("GitHub App authentication only applies to GitHub");
        }
    }

    /** The root every API path is resolved against, without a trailing slash. */
    URI apiRoot() {
        String base = baseUrl.toString().replaceAll("/+$", "");
        return URI.create(kind.apiRoot(base));
    }
}
