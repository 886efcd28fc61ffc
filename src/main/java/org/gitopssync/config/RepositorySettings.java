package org.gitopssync.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code [repository]}: the flake repository the host follows. {@code branch} holds {@code repository.ref} (or its
 * older name {@code repository.branch}) as written: a branch name, {@code refs/heads/<branch>},
 * {@code refs/tags/<tag>} or a bare tag name ({@link #ref()}).
 */
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

    /** What the host follows, as written: a branch or tag name, or {@code refs/heads/...} / {@code refs/tags/...}. */
    public String ref() {
        return branch;
    }

    /** {@code ref}, or its older name {@code branch} (never both), checked to name a branch or a tag. */
    private static String followedRef(ConfigSection s) {
        // both read, so both are known keys (typo hints name either)
        String written = s.string("ref", null);
        String alias = s.string("branch", null);
        if (written != null && alias != null) {
            throw s.error("ref", "set either repository.ref or its older name repository.branch, not both (keep ref)");
        }
        String key = alias != null ? "branch" : "ref";
        String ref = written != null ? written : alias != null ? alias : "main";
        String name = ref.startsWith(HEADS) ? ref.substring(HEADS.length())
                : ref.startsWith(TAGS) ? ref.substring(TAGS.length()) : ref;
        if (ref.startsWith("refs/") && name.equals(ref)) {
            throw s.error(key, "\"" + ref + "\" is neither a branch nor a tag; write a branch name, refs/heads/<branch>,"
                    + " refs/tags/<tag> or a tag name");
        }
        if (name.isBlank() || name.startsWith("-") || name.startsWith("/") || name.endsWith("/") || name.contains("..")
                || name.endsWith(".lock") || name.matches(".*[\\s~^:?*\\[\\\\].*") || name.contains("@{")) {
            throw s.error(key, "\"" + ref + "\" is not a valid branch or tag name");
        }
        return ref;
    }

    private static final String HEADS = "refs/heads/";
    private static final String TAGS = "refs/tags/";

    static RepositorySettings from(ConfigSection s) {
        String url = s.requiredString("url");
        if (url.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@]*:[^/@]*@.*")) {
            throw s.error("url", "credentials in the URL are not allowed (they would show in logs and process lists);"
                    + " use repository.credentials");
        }
        String branch = followedRef(s);
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
