package org.gitopssync.config;

import java.nio.file.Path;
import java.time.Duration;

/** {@code [repository]}: the flake repository the host follows. */
public record RepositorySettings(
        String url,
        String branch,
        Duration pollInterval,
        Duration randomizedDelay,
        CredentialSource credentials,
        String username,
        SshSettings ssh,
        boolean allowForcePush,
        Duration fetchTimeout,
        SignatureSettings signatures) {

    /** {@code [repository.ssh]}: deploy key and host-key checking for ssh:// and scp-style URLs. */
    public record SshSettings(CredentialSource key, Path knownHosts, String hostKey) {
    }

    static RepositorySettings from(ConfigSection s) {
        String url = s.requiredString("url");
        if (url.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@]*:[^/@]*@.*")) {
            throw s.error("url", "credentials in the URL are not allowed (they would show in logs and process lists);"
                    + " use repository.credentials");
        }
        String branch = s.string("branch", "main");
        if (branch.isBlank() || branch.startsWith("-") || branch.contains("..") || branch.matches(".*[\\s~^:?*\\[\\\\].*")) {
            throw s.error("branch", "\"" + branch + "\" is not a valid branch name");
        }
        Duration poll = s.duration("poll_interval", Duration.ofMinutes(5));
        if (poll.compareTo(Duration.ofSeconds(1)) < 0) {
            throw s.error("poll_interval", "must be at least 1s");
        }
        ConfigSection ssh = s.section("ssh");
        CredentialSource key = ssh.credential("key", CredentialSource.none());
        if (key instanceof CredentialSource.Env || key instanceof CredentialSource.Vault) {
            throw ssh.error("key", "an ssh deploy key must come from a file or a systemd credential");
        }
        SshSettings sshSettings = new SshSettings(key, ssh.path("known_hosts", null), ssh.string("host_key", null));
        return new RepositorySettings(
                url,
                branch,
                poll,
                s.duration("randomized_delay", Duration.ofSeconds(30)),
                s.credential("credentials", CredentialSource.none()),
                s.string("username", "x-access-token"),
                sshSettings,
                s.bool("allow_force_push", false),
                s.duration("fetch_timeout", Duration.ofMinutes(10)),
                SignatureSettings.from(s.section("signatures")));
    }
}
