package org.gitopssync.secrets.vault;

/** The Vault transit engine's decrypt call, as sops {@code hc_vault} keys need it. */
public interface VaultTransit {

    /** The Vault server this client talks to, e.g. {@code https://vault.example.com:8200}. */
    String address();

    /**
     * {@code POST /v1/{enginePath}/decrypt/{keyName}} with {@code ciphertext} ("vault:v1:...").
     *
     * @return the decoded plaintext bytes
     * @throws org.gitopssync.secrets.SecretsException naming the engine and key (never the plaintext) on failure
     */
    byte[] decrypt(String enginePath, String keyName, String ciphertext);
}
