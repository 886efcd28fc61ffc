package org.gitopssync.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code [vault]}: the Vault server used for sops {@code hc_vault} keys, manifest {@code vault} secrets and
 * {@code { vault = "mount/path#field" }} credentials. Absent unless {@code address} is set.
 *
 * @param kvVersions KV engine version (1 or 2) per mount; unlisted mounts are KV v2
 * @param renewInterval how often the daemon renews its token
 */
public record VaultAccessSettings(
        String address,
        String namespace,
        Auth auth,
        CredentialSource token,
        CredentialSource roleId,
        CredentialSource secretId,
        String approleMount,
        Map<String, Integer> kvVersions,
        Duration renewInterval,
        Duration timeout) {

    /** How the agent logs in. */
    public enum Auth { TOKEN, APPROLE }

    public VaultAccessSettings {
        kvVersions = Map.copyOf(kvVersions);
    }

    static Optional<VaultAccessSettings> from(ConfigSection s) {
        String address = s.string("address", null);
        if (address == null) {
            for (String key : s.presentKeys()) {
                throw s.error(key, "vault.address is not set (the [vault] section needs it)");
            }
            return Optional.empty();
        }
        if (!address.matches("https?://[^/\\s]+/?")) {
            throw s.error("address", "expected http(s)://host[:port], got \"" + address + "\"");
        }
        Auth auth = s.choice("auth", Auth.class, Auth.TOKEN);
        CredentialSource token = ownCredential(s, "token");
        CredentialSource roleId = ownCredential(s, "role_id");
        CredentialSource secretId = ownCredential(s, "secret_id");
        if (auth == Auth.TOKEN && token instanceof CredentialSource.None) {
            throw s.error("token", "required when auth = \"token\", e.g. token = { file = \"/run/keys/vault-token\" }");
        }
        if (auth == Auth.APPROLE && roleId instanceof CredentialSource.None) {
            throw s.error("role_id", "required when auth = \"approle\"");
        }
        if (auth == Auth.APPROLE && secretId instanceof CredentialSource.None) {
            throw s.error("secret_id", "required when auth = \"approle\"");
        }
        ConfigSection kv = s.section("kv_versions");
        Map<String, Integer> versions = new LinkedHashMap<>();
        for (String mount : kv.presentKeys()) {
            versions.put(mount.replaceAll("^/+|/+$", ""), kv.integer(mount, 2, 1, 2));
        }
        Duration renew = s.duration("renew_interval", Duration.ofMinutes(15));
        if (renew.compareTo(Duration.ofSeconds(10)) < 0) {
            throw s.error("renew_interval", "must be at least 10s");
        }
        return Optional.of(new VaultAccessSettings(
                address.strip().replaceAll("/+$", ""),
                s.string("namespace", ""),
                auth,
                token,
                roleId,
                secretId,
                s.string("approle_mount", "approle"),
                versions,
                renew,
                s.duration("timeout", Duration.ofSeconds(30))));
    }

    /** Vault's own login material cannot come from Vault. */
    private static CredentialSource ownCredential(ConfigSection s, String key) {
        CredentialSource source = s.credential(key, CredentialSource.none());
        if (source instanceof CredentialSource.Vault) {
            throw s.error(key, "Vault's own login cannot come from Vault; use env, file or systemd-credential");
        }
        return source;
    }
}
