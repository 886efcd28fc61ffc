package org.gitopssync.secrets.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.gitopssync.config.Credential;
import org.gitopssync.secrets.SecretsException;

/** How gitops-sync authenticates to Vault. */
public sealed interface VaultAuth {

    /** A ready token (VAULT_TOKEN, a token file...). */
    record Token(Credential token) implements VaultAuth {
        @Override
        public String toString() {
            return "Token[" + token + "]";
        }
    }

    /** AppRole login ({@code POST /v1/auth/{mount}/login}); the mount is usually "approle". */
    record AppRole(String roleId, Credential secretId, String mount) implements VaultAuth {

        public AppRole(String roleId, Credential secretId) {
            this(roleId, secretId, "approle");
        }

        @Override
        public String toString() {
            return "AppRole[mount=" + mount + ", secretId=" + secretId + "]";
        }
    }

    /** The token sops itself would use: VAULT_TOKEN, else {@code ~/.vault-token}; empty when neither is set. */
    static Optional<Token> sopsDefaultToken(Map<String, String> environment, Path homeDirectory) {
        String fromEnvironment = environment.get("VAULT_TOKEN");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(new Token(Credential.of(fromEnvironment.strip(), "env VAULT_TOKEN")));
        }
        Path file = homeDirectory.resolve(".vault-token");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String token = Files.readString(file).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(new Token(Credential.of(token, "file " + file)));
        } catch (IOException e) {
            throw new SecretsException("cannot read Vault token file " + file + ": " + e.getMessage(), e);
        }
    }
}
