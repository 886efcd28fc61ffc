package org.gitopssync.forge;

import java.util.Objects;
import org.gitopssync.config.Credential;

/** How gitops-sync authenticates to a forge. */
public sealed interface ForgeAuth {

    /** A personal or project access token (GitHub PAT, Gitea/Forgejo token, GitLab private token). */
    record Token(Credential token) implements ForgeAuth {
        public Token {
            Objects.requireNonNull(token, "token");
        }
    }

    /**
     * A GitHub App: {@code appId} is the app's client id or numeric app id (the JWT issuer), the key is the
     * app's PEM private key (PKCS#1 or PKCS#8); installation tokens are fetched and renewed as needed.
     */
    record GitHubApp(String appId, long installationId, Credential privateKeyPem) implements ForgeAuth {
        public GitHubApp {
            Objects.requireNonNull(appId, "appId");
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
            if (installationId <= 0) {
                throw new IllegalArgumentException("GitHub App installation id must be positive");
            }
        }
    }
}
