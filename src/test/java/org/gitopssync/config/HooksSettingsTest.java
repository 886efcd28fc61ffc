package org.gitopssync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code [[hooks]]} and {@code deploy.on_drift}: every event word, defaults, and errors naming file, line and key. */
class HooksSettingsTest {

    private static final String HEAD = """
            hostname = "web1"
            state_dir = "/tmp/gitops-test"
            [repository]
            url = "https://git.example.com/infra/fleet.git"
            """;

    private static LoadedSettings load(String toml) {
        return new SettingsLoader(Map.of()).parse(Path.of("/etc/gitops.toml"), HEAD + toml);
    }

    @Test
    void acceptsEveryEventIncludingThoseOtherFeaturesEmit() {
        LoadedSettings loaded = load("""
                [[hooks]]
                on = ["deployed", "rolled-back", "failed", "refused", "reboot-needed", "drift"]
                command = ["/usr/local/bin/notify", "--quiet"]

                [[hooks]]
                type = "http"
                on = ["drift"]
                url = "https://ntfy.example.org/fleet"
                timeout = "10s"
                """);

        assertThat(loaded.warnings()).isEmpty();
        List<HooksSettings.Hook> hooks = loaded.settings().hooks().hooks();
        assertThat(hooks.get(0).on()).isEqualTo(Set.of(HostEvent.values()));
        assertThat(hooks.get(0).type()).isEqualTo(HooksSettings.Type.COMMAND);
        assertThat(hooks.get(0).timeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(hooks.get(1).type()).isEqualTo(HooksSettings.Type.HTTP);
        assertThat(hooks.get(1).allowPrivateHosts()).isFalse();
        assertThat(loaded.settings().hooks().on(HostEvent.DRIFT)).hasSize(2);
        assertThat(loaded.settings().hooks().on(HostEvent.DEPLOYED)).containsExactly(hooks.get(0));
        assertThat(loaded.settings().deploy().onDrift()).isEqualTo(DeploySettings.OnDrift.SUSPEND);
    }

    @Test
    void badHooksAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> load("[[hooks]]\non = [\"deploy\"]\ncommand = [\"/bin/true\"]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("/etc/gitops.toml:6: hooks[0].on: unknown event \"deploy\"; expected \"deployed\"");
        assertThatThrownBy(() -> load("[[hooks]]\non = [\"failed\"]\n"))
                .hasMessageContaining("hooks[0].command: a command hook needs the program");
        assertThatThrownBy(() -> load("[[hooks]]\ncommand = [\"/bin/true\"]\n"))
                .hasMessageContaining("hooks[0].on: name at least one event");
        assertThatThrownBy(() -> load("[[hooks]]\ntype = \"http\"\non = [\"failed\"]\nurl = \"file:///etc/passwd\"\n"))
                .hasMessageContaining("hooks[0].url: expected an http:// or https:// URL");
        assertThatThrownBy(() -> load("[deploy]\non_drift = \"ignore\"\n"))
                .hasMessageContaining("deploy.on_drift: expected one of \"suspend\", \"deploy\"");
    }
}
