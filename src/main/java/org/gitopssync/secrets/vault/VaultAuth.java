package org.gitopssync.secrets.vault;

import org.gitopssync.config.Credential;

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
}
