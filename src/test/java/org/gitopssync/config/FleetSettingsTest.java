package org.gitopssync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [fleet]}: roles, keys and the release store, as an operator writes them. */
class FleetSettingsTest {

    static final String KEY = "builder-1:" + Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path tmp;

    private LoadedSettings load(String fleet) throws IOException {
        Path f = tmp.resolve("gitops.toml");
        Files.writeString(f, "[repository]\nurl = \"https://git.example.com/infra/fleet.git\"\n\n[fleet]\n" + fleet);
        return new SettingsLoader(Map.of()).load(f);
    }

    @Test
    void withoutAFleetSectionTheAgentIsStandalone() throws IOException {
        FleetSettings fleet = load("").settings().fleet();

        assertThat(fleet.role()).isEqualTo(FleetSettings.Role.STANDALONE);
        assertThat(fleet.waitFor()).isEqualTo(Duration.ofMinutes(30));
        assertThat(fleet.fallback()).isEqualTo(FleetSettings.Fallback.WAIT);
    }

    @Test
    void aHostReadsItsTrustedKeysWaitFallbackAndStoreWithoutWarnings() throws IOException {
        LoadedSettings loaded = load("""
                role = "host"
                trusted_keys = ["%s"]
                cache_keys = ["%s"]
                wait = "10m"
                fallback = "build"
                releases = "https://cache.example.com/releases"
                """.formatted(KEY, KEY.replace("builder-1", "cache-1")));

        FleetSettings fleet = loaded.settings().fleet();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(fleet.role()).isEqualTo(FleetSettings.Role.HOST);
        assertThat(fleet.trustedKeys()).containsExactly(KEY);
        assertThat(fleet.waitFor()).isEqualTo(Duration.ofMinutes(10));
        assertThat(fleet.fallback()).isEqualTo(FleetSettings.Fallback.BUILD);
        assertThat(fleet.releases()).isEqualTo("https://cache.example.com/releases");
    }

    @Test
    void aBuilderNeedsASigningKeyAndAStore() {
        assertThatThrownBy(() -> load("role = \"builder\"\nreleases = \"file:///srv/releases\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fleet.signing_key: required for role = \"builder\"");
        assertThatThrownBy(() -> load("role = \"builder\"\nsigning_key = { file = \"/run/keys/b.sec\" }\n"))
                .hasMessageContaining("fleet.releases: required for role = \"builder\"");
    }

    @Test
    void aHostNeedsTrustedKeysThatArePublicKeys() {
        assertThatThrownBy(() -> load("role = \"host\"\nreleases = \"file:///srv/releases\"\n"))
                .hasMessageContaining("fleet.trusted_keys: required for role = \"host\"");
        String secret = "builder-1:" + Base64.getEncoder().encodeToString(new byte[64]);
        assertThatThrownBy(() -> load("role = \"host\"\nreleases = \"file:///srv/releases\"\ntrusted_keys = [\""
                + secret + "\"]\n"))
                .hasMessageContaining("fleet.trusted_keys: key builder-1 has 64 bytes, an Ed25519 public key has 32"
                        + " (a secret key does not belong here)")
                .hasMessageNotContaining(secret);
    }

    @Test
    void aStoreUrlWithACredentialInsideOrAnUnknownSchemeIsRefused() {
        assertThatThrownBy(() -> load("releases = \"https://user:pw@example.com/r\"\n"))
                .hasMessageContaining("fleet.releases: no query, fragment or user info");
        assertThatThrownBy(() -> load("releases = \"ftp://example.com/r\"\n"))
                .hasMessageContaining("fleet.releases: expected a file://, http:// or https:// URL");
        assertThatThrownBy(() -> load("role = \"sometimes\"\n"))
                .hasMessageContaining("fleet.role: expected one of \"standalone\", \"builder\", \"host\"");
    }
}
