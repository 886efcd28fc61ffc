package org.gitopssync.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code [fleet]} roles: a standalone agent builds what it deploys; a builder builds every host and publishes signed
 * release records; a host deploys what a trusted builder released instead of evaluating and building.
 */
public record FleetSettings(
        Role role,
        CredentialSource signingKey,
        List<String> trustedKeys,
        Duration waitFor,
        Fallback fallback,
        String releases,
        CredentialSource releasesCredentials,
        boolean releasesAllowPrivateHosts,
        List<String> cacheKeys,
        List<String> after,
        Duration soak) {

    /** What this agent is in a fleet. */
    public enum Role { STANDALONE, BUILDER, HOST }

    /** What a host does once {@code wait} has passed without a release record for the branch head. */
    public enum Fallback { WAIT, BUILD }

    /** The Ed25519 public key size in bytes, as Nix's {@code name:base64} public keys carry it. */
    public static final int PUBLIC_KEY_BYTES = 32;

    public FleetSettings {
        trustedKeys = List.copyOf(trustedKeys);
        cacheKeys = List.copyOf(cacheKeys);
        after = List.copyOf(after);
    }

    /** The wave keys ({@code after}, {@code soak}) as the wave gate reads them. */
    public WaveSettings waves() {
        return new WaveSettings(after, soak);
    }

    /** Whether this host waits for others before deploying a commit. */
    public boolean gated() {
        return !after.isEmpty();
    }

    /** No fleet: today's behaviour. */
    public static FleetSettings standalone() {
        return new FleetSettings(Role.STANDALONE, CredentialSource.none(), List.of(), Duration.ofMinutes(30),
                Fallback.WAIT, null, CredentialSource.none(), false, List.of(), List.of(), Duration.ZERO);
    }

    /** The hosts a CI run builds: a builder's {@code ci.hosts = "self"} (the default) means every host. */
    public CiSettings.Hosts ciHosts(CiSettings.Hosts configured) {
        return role == Role.BUILDER && configured.mode() == CiSettings.Hosts.Mode.SELF ? CiSettings.Hosts.all()
                : configured;
    }

    static FleetSettings from(ConfigSection s) {
        Role role = s.choice("role", Role.class, Role.STANDALONE);
        CredentialSource signingKey = s.credential("signing_key", CredentialSource.none());
        List<String> trusted = s.strings("trusted_keys", List.of());
        for (String key : trusted) {
            publicKeyProblem(key).ifPresent(p -> {
                throw s.error("trusted_keys", p);
            });
        }
        List<String> cacheKeys = s.strings("cache_keys", List.of());
        for (String key : cacheKeys) {
            publicKeyProblem(key).ifPresent(p -> {
                throw s.error("cache_keys", p);
            });
        }
        Duration wait = s.duration("wait", Duration.ofMinutes(30));
        Fallback fallback = s.choice("fallback", Fallback.class, Fallback.WAIT);
        String releases = s.string("releases", null);
        if (releases != null) {
            releasesProblem(releases).ifPresent(p -> {
                throw s.error("releases", p);
            });
        }
        CredentialSource credentials = s.credential("releases_credentials", CredentialSource.none());
        boolean allowPrivate = s.bool("releases_allow_private_hosts", false);
        if (role != Role.STANDALONE && releases == null) {
            throw s.error("releases", "required for role = \"" + ConfigSection.wordOf(role)
                    + "\": where release records are kept (\"file:///srv/releases\" or \"https://...\")");
        }
        if (role == Role.BUILDER && signingKey instanceof CredentialSource.None) {
            throw s.error("signing_key", "required for role = \"builder\": the Ed25519 key release records are signed"
                    + " with (a `nix key generate-secret` file), e.g. { file = \"/run/keys/builder-1.sec\" }");
        }
        if (role == Role.HOST && trusted.isEmpty()) {
            throw s.error("trusted_keys", "required for role = \"host\": the builders' public keys"
                    + " (`nix key convert-secret-to-public`), e.g. [\"builder-1:...\"]");
        }
        WaveSettings waves = WaveSettings.from(s);
        return new FleetSettings(role, signingKey, trusted, wait, fallback, releases, credentials, allowPrivate,
                cacheKeys, waves.after(), waves.soak());
    }

    /** Why {@code key} is not a Nix public key ({@code name:base64} of 32 bytes), if it is not. */
    static Optional<String> publicKeyProblem(String key) {
        int colon = key.indexOf(':');
        if (colon <= 0) {
            return Optional.of("\"" + abbreviated(key) + "\" is not a Nix public key (name:base64, as"
                    + " `nix key convert-secret-to-public` prints)");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(key.substring(colon + 1));
            if (bytes.length != PUBLIC_KEY_BYTES) {
                return Optional.of("key " + key.substring(0, colon) + " has " + bytes.length
                        + " bytes, an Ed25519 public key has " + PUBLIC_KEY_BYTES
                        + " (a secret key does not belong here)");
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("key " + key.substring(0, colon) + " is not valid base64");
        }
        return Optional.empty();
    }

    private static Optional<String> releasesProblem(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!List.of("file", "http", "https").contains(scheme)) {
                return Optional.of("expected a file://, http:// or https:// URL, got \"" + url + "\"");
            }
            if (scheme.equals("file") && (uri.getPath() == null || !uri.getPath().startsWith("/"))) {
                return Optional.of("a file:// URL needs an absolute path, e.g. file:///srv/releases");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return Optional.of("no query, fragment or user info in the URL (the credential goes in"
                        + " releases_credentials)");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("not a valid URL: " + e.getReason());
        }
    }

    private static String abbreviated(String s) {
        return s.length() > 24 ? s.substring(0, 24) + "..." : s;
    }
}
