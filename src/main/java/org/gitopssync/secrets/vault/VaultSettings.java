package org.gitopssync.secrets.vault;

import java.time.Duration;
import java.util.Map;

/**
 * Where and how to reach Vault.
 *
 * @param address e.g. {@code https://vault.example.com:8200}
 * @param namespace the Vault Enterprise namespace sent as X-Vault-Namespace, or "" for none
 * @param auth token or AppRole
 * @param kvMountVersions KV engine version (1 or 2) per mount; mounts not listed are KV v2
 * @param timeout connect and read timeout
 */
public record VaultSettings(String address, String namespace, VaultAuth auth, Map<String, Integer> kvMountVersions,
        Duration timeout) {

    public VaultSettings {
        address = address.strip().replaceAll("/+$", "");
        namespace = namespace == null ? "" : namespace.strip();
        kvMountVersions = Map.copyOf(kvMountVersions);
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
    }

    public VaultSettings(String address, String namespace, VaultAuth auth) {
        this(address, namespace, auth, Map.of(), Duration.ofSeconds(30));
    }

    int kvVersion(String mount) {
        return kvMountVersions.getOrDefault(trimSlashes(mount), 2);
    }

    static String trimSlashes(String path) {
        return path.replaceAll("^/+", "").replaceAll("/+$", "");
    }
}
