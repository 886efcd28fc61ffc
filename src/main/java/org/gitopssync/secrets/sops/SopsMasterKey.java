package org.gitopssync.secrets.sops;

import java.util.Map;

/**
 * One wrapped copy of the data key (or of a Shamir share) in the sops metadata.
 *
 * @param type the metadata list it came from: age, pgp, hc_vault, kms, gcp_kms, azure_kv, hckms
 * @param identifier the public name of the key: age recipient, PGP fingerprint, Vault key URL, ARN...
 * @param encryptedKey the wrapped key ({@code enc})
 * @param attributes every other field of the entry (vault_address, engine_path, key_name, created_at...)
 */
public record SopsMasterKey(String type, String identifier, String encryptedKey, Map<String, String> attributes) {

    public SopsMasterKey {
        attributes = Map.copyOf(attributes);
    }

    /** "age age1...", "pgp FBC7...", safe to print. */
    public String describe() {
        String shown = identifier.length() > 80 ? identifier.substring(0, 24) + "…" : identifier;
        return type + " " + shown;
    }

    public String attribute(String name) {
        return attributes.getOrDefault(name, "");
    }

    @Override
    public String toString() {
        return "SopsMasterKey[" + describe() + "]";
    }
}
