package org.gitopssync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wave keys of [fleet]: after and soak, and what they need. */
class WaveSettingsTest {

    private static final String FORGE = """
            [[forges]]
            type = "github"
            repository = "acme/fleet"
            credentials = { env = "GH_TOKEN" }
            """;

    private static LoadedSettings parse(String fleet, String forges) {
        String toml = "hostname = \"web1\"\n[repository]\nurl = \"https://github.com/acme/fleet.git\"\n" + forges
                + "\n[fleet]\n" + fleet;
        return new SettingsLoader(Map.of()).parse(Path.of("/etc/gitops-sync/gitops.toml"), toml);
    }

    @Test
    void afterAndSoakAreReadWithoutWarnings() {
        LoadedSettings loaded = parse("after = [\"canary-1\", \"canary-2\"]\nsoak = \"15m\"\n", FORGE);
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.settings().fleet().waves()).isEqualTo(new WaveSettings(List.of("canary-1", "canary-2"),
                Duration.ofMinutes(15)));
        assertThat(loaded.settings().fleet().gated()).isTrue();
        assertThat(EffectiveSettings.flatten(loaded.settings())).containsEntry("fleet.soak", "15m");
        WaveSettings none = parse("", "").settings().fleet().waves();
        assertThat(none.gated()).isFalse();
        assertThat(none.soak()).isZero();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> parse("after = [\"web1\"]\n", FORGE)).isInstanceOf(ConfigException.class)
                .hasMessage("/etc/gitops-sync/gitops.toml: fleet.after: lists this host (web1) itself; it would wait"
                        + " for its own deploy forever");
        assertThatThrownBy(() -> parse("after = [\"canary-1\"]\n", ""))
                .hasMessageContaining("fleet.after: waves read the forge's deploy statuses, but no [[forges]] entry");
        assertThatThrownBy(() -> parse("soak = \"15m\"\n", FORGE))
                .hasMessageContaining("fleet.soak: only means something with fleet.after");
        assertThatThrownBy(() -> parse("after = [\"canary 1\"]\n", FORGE))
                .hasMessageContaining("fleet.after: \"canary 1\" is not a host name");
        assertThatThrownBy(() -> parse("after = \"canary-1\"\n", FORGE))
                .hasMessageContaining("fleet.after: expected a list of strings");
        assertThatThrownBy(() -> parse("after = [\"a\", \"a\"]\n", FORGE)).hasMessageContaining("lists a host twice");
        assertThatThrownBy(() -> parse("after = [\"a\"]\nsoak = \"soon\"\n", FORGE))
                .hasMessageContaining("fleet.soak");
    }
}
