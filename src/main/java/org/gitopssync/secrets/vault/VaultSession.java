package org.gitopssync.secrets.vault;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import org.gitopssync.config.Credential;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.VaultAccessSettings;
import org.gitopssync.secrets.SecretsException;
import org.jboss.logging.Logger;

/**
 * The agent's Vault login from {@code [vault]}: made on first use (so an unreachable Vault only fails the cycles
 * that need it), shared by sops {@code hc_vault} keys, manifest {@code vault} secrets and
 * {@code { vault = "mount/path#field" }} credentials, and renewed by the daemon.
 */
public final class VaultSession {

    private static final Logger LOG = Logger.getLogger(VaultSession.class);

    private final VaultAccessSettings settings;
    private final CredentialResolver credentials;
    private VaultClient client;

    /** {@code credentials} resolves Vault's own token or AppRole ids (never from Vault itself). */
    public VaultSession(VaultAccessSettings settings, CredentialResolver credentials) {
        this.settings = settings;
        this.credentials = credentials;
    }

    public String address() {
        return settings.address();
    }

    /** The logged-in client, logging in on first use. */
    public synchronized VaultClient client() {
        if (client == null) {
            client = VaultClient.connect(new VaultSettings(settings.address(), settings.namespace(), auth(),
                    settings.kvVersions(), settings.timeout()));
            LOG.debugf("vault: logged in at %s", settings.address());
        }
        return client;
    }

    /** One field of a KV secret at {@code mount/path}; the mount is the longest configured one that matches. */
    public Credential read(String path, String field) {
        String[] mountAndPath = split(path);
        return client().readKv(mountAndPath[0], mountAndPath[1], field);
    }

    /** Every field of the KV secret at {@code mount/path}, from one read. */
    public Map<String, Credential> readSecret(String path) {
        String[] mountAndPath = split(path);
        return client().readKvSecret(mountAndPath[0], mountAndPath[1]);
    }

    private String[] split(String path) {
        String clean = path.replaceAll("^/+|/+$", "");
        String mount = mountOf(clean);
        if (clean.length() <= mount.length()) {
            throw new SecretsException("vault path \"" + path + "\" names only the mount " + mount + ", not a secret");
        }
        return new String[] {mount, clean.substring(mount.length() + 1)};
    }

    /**
     * Renews the token before its lease runs out (AppRole logins that can no longer be renewed log in again).
     * Does nothing before the first login, or once Vault has said the token is not renewable.
     */
    public synchronized void renew() {
        if (client == null) {
            return;
        }
        TokenLease lease = client.lease();
        if (!lease.renewable()) {
            return;
        }
        Duration increment = lease.ttl().compareTo(settings.renewInterval().multipliedBy(2)) > 0
                ? lease.ttl() : settings.renewInterval().multipliedBy(2);
        TokenLease renewed = client.renewSelf(increment);
        LOG.debugf("vault: token renewed at %s for %s", settings.address(), renewed.ttl());
    }

    String mountOf(String path) {
        return settings.kvVersions().keySet().stream()
                .filter(m -> path.equals(m) || path.startsWith(m + "/"))
                .max(Comparator.comparingInt(String::length))
                .orElse(path.contains("/") ? path.substring(0, path.indexOf('/')) : path);
    }

    private VaultAuth auth() {
        if (settings.auth() == VaultAccessSettings.Auth.APPROLE) {
            String roleId = credentials.value("vault.role_id", settings.roleId()).orElseThrow().reveal();
            Credential secretId = credentials.value("vault.secret_id", settings.secretId()).orElseThrow();
            return new VaultAuth.AppRole(roleId, secretId, settings.approleMount());
        }
        return new VaultAuth.Token(credentials.value("vault.token", settings.token()).orElseThrow());
    }

    @Override
    public String toString() {
        return "VaultSession[" + settings.address() + "]";
    }
}
