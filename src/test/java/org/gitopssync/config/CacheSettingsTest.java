package org.gitopssync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code [[caches]]}: parsing, defaults, and errors that name the file, line and key. */
class CacheSettingsTest {

    private static final String HEAD = """
            hostname = "web1"
            state_dir = "/tmp/gitops-test"
            [repository]
            url = "https://git.example.com/infra/fleet.git"
            """;

    private static LoadedSettings load(String caches) {
        return new SettingsLoader(Map.of()).parse(Path.of("/etc/gitops.toml"), HEAD + caches);
    }

    private static void assertError(String caches, String message) {
        assertThatThrownBy(() -> load(caches)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void parsesEveryKeyAndFillsDefaults() {
        LoadedSettings loaded = load("""
                [[caches]]
                id = "main"
                type = "nix-copy"
                destination = "s3://fleet-cache?region=eu-west-1"
                credentials = { env = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] }
                permissions = { branches = ["main", "release/*"], pull_requests = true }
                required = true
                signing_key = { file = "/run/keys/cache.sec" }
                max_concurrent_uploads = 8
                retries = 3
                timeout = "30m"

                [[caches]]
                id = "team"
                type = "attic"
                destination = "central:fleet"
                endpoint = "https://attic.example.com/"
                credentials = { systemd-credential = "attic-token" }
                permissions = { allow_all = true }
                """);

        assertThat(loaded.warnings()).isEmpty();
        List<CacheSettings> caches = loaded.settings().caches();
        assertThat(caches).hasSize(2);
        CacheSettings main = caches.get(0);
        assertThat(main.type()).isEqualTo(CacheSettings.Type.NIX_COPY);
        assertThat(main.credentials()).isEqualTo(new CredentialSource.Env(
                List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")));
        assertThat(main.permissions()).isEqualTo(new CacheSettings.Permissions(false, List.of("**"),
                List.of("main", "release/*"), true, false));
        assertThat(main.required()).isTrue();
        assertThat(main.signingKey()).isEqualTo(new CredentialSource.File(Path.of("/run/keys/cache.sec")));
        assertThat(main.maxConcurrentUploads()).isEqualTo(8);
        assertThat(main.retries()).isEqualTo(3);
        assertThat(main.timeout()).isEqualTo(Duration.ofMinutes(30));
        CacheSettings team = caches.get(1);
        assertThat(team.endpoint()).isEqualTo("https://attic.example.com/");
        assertThat(team.required()).isFalse();
        assertThat(team.allowPrivateHosts()).isFalse();
        assertThat(team.maxConcurrentUploads()).isEqualTo(4);
        assertThat(team.retries()).isEqualTo(2);
        assertThat(team.signingKey()).isEqualTo(CredentialSource.none());
        assertThat(team.permissions().allowAll()).isTrue();
        assertThat(team.permissions().forks()).isFalse();
    }

    @Test
    void noCachesIsFine() {
        assertThat(load("").settings().caches()).isEmpty();
    }

    @Test
    void effectiveSettingsShowSourcesNotSecrets() {
        LoadedSettings loaded = load("""
                [[caches]]
                id = "cx"
                type = "cachix"
                destination = "fleet"
                credentials = { env = "CACHIX_AUTH_TOKEN" }
                permissions = { allow_all = true }
                """);
        assertThat(EffectiveSettings.lines(loaded.settings()))
                .contains("caches[0].type = \"cachix\"", "caches[0].credentials = <env CACHIX_AUTH_TOKEN>");
    }

    @Test
    void anUnknownTypeNamesTheChoices() {
        assertError("""
                [[caches]]
                id = "main"
                type = "ftp"
                destination = "x"
                permissions = { allow_all = true }
                """, "/etc/gitops.toml:7: caches[0].type: expected one of \"nix-copy\", \"cachix\", \"attic\", \"niks3\","
                + " got \"ftp\"");
    }

    @Test
    void aMissingTypeIsAnError() {
        assertError("""
                [[caches]]
                id = "main"
                destination = "file:///var/cache"
                permissions = { allow_all = true }
                """, "/etc/gitops.toml: caches[0].type: required: one of \"nix-copy\", \"cachix\", \"attic\", \"niks3\"");
    }

    @Test
    void disallowedSchemesAndUrlSecretsAreRefused() {
        assertError("""
                [[caches]]
                id = "main"
                type = "nix-copy"
                destination = "ftp://cache.example.com"
                permissions = { allow_all = true }
                """, "/etc/gitops.toml:8: caches[0].destination: scheme \"ftp\" is not allowed for nix-copy"
                + " (use s3, https, http, ssh, ssh-ng or file)");
        assertError("""
                [[caches]]
                id = "main"
                type = "nix-copy"
                destination = "https://user:hunter2@cache.example.com"
                permissions = { allow_all = true }
                """, "/etc/gitops.toml:8: caches[0].destination: passwords in the URL are not allowed"
                + " (they would show in process lists and logs); use credentials");
        assertError("""
                [[caches]]
                id = "main"
                type = "nix-copy"
                destination = "file://host/var/cache"
                permissions = { allow_all = true }
                """, "/etc/gitops.toml:8: caches[0].destination: a file:// destination takes no host: file:///absolute/path");
    }

    @Test
    void permissionsMustBeStated() {
        assertError("""
                [[caches]]
                id = "main"
                type = "nix-copy"
                destination = "file:///var/cache"
                """, "/etc/gitops.toml: caches[0].permissions: required: { allow_all = true }, or e.g."
                + " { branches = [\"main\"] }");
        assertError("""
                [[caches]]
                id = "main"
                type = "nix-copy"
                destination = "file:///var/cache"
                permissions = { pull_requests = true }
                """, "/etc/gitops.toml:9: caches[0].permissions: name repositories and/or branches (globs),"
                + " or set allow_all = true");
        assertError("""
                [[caches]]
                id = "main"
                type = "nix-copy"
                destination = "file:///var/cache"
                permissions = { allow_all = true, branches = ["main"] }
                """, "/etc/gitops.toml:9: caches[0].permissions.allow_all: allow_all = true cannot be combined with"
                + " repositories or branches");
        assertError("""
                [[caches]]
                id = "main"
                type = "nix-copy"
                destination = "file:///var/cache"
                permissions = { branches = ["main"], forks = true }
                """, "/etc/gitops.toml:9: caches[0].permissions.forks: forks = true needs pull_requests = true");
    }

    @Test
    void toolBackendsNeedCredentialsAndAtticAnEndpoint() {
        assertError("""
                [[caches]]
                id = "cx"
                type = "cachix"
                destination = "fleet"
                permissions = { allow_all = true }
                """, "/etc/gitops.toml: caches[0].credentials: required for cachix (a push token, e.g."
                + " { env = \"CACHIX_AUTH_TOKEN\" })");
        assertError("""
                [[caches]]
                id = "at"
                type = "attic"
                destination = "central:fleet"
                credentials = { env = "ATTIC_TOKEN" }
                permissions = { allow_all = true }
                """, "/etc/gitops.toml: caches[0].endpoint: required for attic: the server's URL, e.g."
                + " \"https://attic.example.com/\"");
        assertError("""
                [[caches]]
                id = "at"
                type = "attic"
                destination = "fleet"
                endpoint = "https://attic.example.com/"
                credentials = { env = "ATTIC_TOKEN" }
                permissions = { allow_all = true }
                """, "/etc/gitops.toml:8: caches[0].destination: expected \"<server>:<cache>\" for attic, got \"fleet\"");
    }

    @Test
    void inlineTokensAreRefused() {
        assertError("""
                [[caches]]
                id = "cx"
                type = "cachix"
                destination = "fleet"
                credentials = "eyJhbGciOi"
                permissions = { allow_all = true }
                """, "/etc/gitops.toml:9: caches[0].credentials: inline secret values are not allowed; use"
                + " { env = \"NAME\" }, { file = \"/path\" }, { systemd-credential = \"name\" },"
                + " { vault = \"path#field\" } or \"none\"");
    }

    @Test
    void idsAreUniqueAndNumbersInRange() {
        assertError("""
                [[caches]]
                id = "main"
                type = "nix-copy"
                destination = "file:///a"
                permissions = { allow_all = true }

                [[caches]]
                id = "main"
                type = "nix-copy"
                destination = "file:///b"
                permissions = { allow_all = true }
                """, "/etc/gitops.toml:12: caches[1].id: \"main\" is already used by caches[0]");
        assertError("""
                [[caches]]
                id = "main"
                type = "nix-copy"
                destination = "file:///a"
                permissions = { allow_all = true }
                max_concurrent_uploads = 0
                """, "/etc/gitops.toml:10: caches[0].max_concurrent_uploads: expected an integer from 1 to 64, got 0");
    }

    @Test
    void typosInsideCachesAreWarnedAbout() {
        LoadedSettings loaded = load("""
                [[caches]]
                id = "main"
                type = "nix-copy"
                destination = "file:///a"
                permissions = { branch = ["main"], branches = ["main"] }
                requried = true
                """);
        assertThat(loaded.warnings()).containsExactlyInAnyOrder(
                "/etc/gitops.toml:10: unknown key caches[0].requried (did you mean caches[0].required?)",
                "/etc/gitops.toml:9: unknown key caches[0].permissions.branch"
                        + " (did you mean caches[0].permissions.branches?)");
    }
}
