package org.gitopssync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code config check} prints is what an operator can write back into the file. */
class EffectiveSettingsTest {

    private static final String KEY = "builder-1:" + Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path tmp;

    @Test
    void everyPrintedKeyIsAKeyTheAgentReads() throws IOException {
        Path config = Files.writeString(tmp.resolve("gitops.toml"), """
                [repository]
                url = "https://git.example.com/infra/fleet.git"

                [[caches]]
                id = "local"
                type = "nix-copy"
                destination = "file:///srv/cache"
                permissions = { allow_all = true }

                [[forges]]
                type = "gitea"
                api_url = "https://git.example.com"
                repository = "infra/fleet"
                credentials = { env = "FORGE_TOKEN" }

                [[hooks]]
                on = ["failed"]
                command = ["true"]

                [vault]
                address = "https://vault.example.com:8200"
                token = { env = "VAULT_TOKEN" }

                [deploy.reboot]
                allow = true
                window = "02:00-04:00"

                [ci]
                hosts = ["web-1", "web-2"]

                [fleet]
                role = "host"
                trusted_keys = ["%s"]
                wait = "10m"
                releases = "https://cache.example.com/releases"
                """.formatted(KEY));
        LoadedSettings loaded = new SettingsLoader(Map.of()).load(config);
        Set<String> read = loaded.readKeys();

        assertThat(loaded.warnings()).isEmpty();
        Set<String> printed = EffectiveSettings.flatten(loaded.settings()).keySet();
        assertThat(printed.stream().filter(k -> !k.equals("file"))
                .filter(k -> !read.contains(k.replaceAll("\\[\\d+]", ".*"))))
                .as("printed keys the agent would call unknown").isEmpty();
        Map<String, Object> values = EffectiveSettings.flatten(loaded.settings());
        assertThat(values).containsEntry("fleet.wait", "10m").containsEntry("ci.hosts", List.of("web-1", "web-2"))
                .containsEntry("deploy.reboot.window", "02:00-04:00").containsEntry("hooks[0].on", List.of("failed"))
                .doesNotContainKey("fleet.wait_for");
    }
}
