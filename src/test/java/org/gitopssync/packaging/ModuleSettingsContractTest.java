package org.gitopssync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gitopssync.config.LoadedSettings;
import org.gitopssync.config.SettingsLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every key the NixOS module can write into the agent's TOML (its typed {@code services.gitops.settings}
 * options, evaluated with real nix from the module's own option declarations) is a key the agent reads:
 * an option the agent does not know would be a warning on every start and do nothing.
 */
class ModuleSettingsContractTest {

    private static final Pattern ROW = Pattern.compile("^\\| `services\\.gitops\\.settings\\.([^`]+)` \\| ([^|]+) \\|");

    /** One of each array of tables and a [vault], so the keys read only when they are there are read too. */
    private static final String EVERY_SECTION = """
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
            """;

    @TempDir
    Path tmp;

    @Test
    void everySettingTheModuleDeclaresIsAKeyTheAgentReads() throws IOException {
        List<String> moduleKeys = moduleSettingKeys();
        assertThat(moduleKeys).as("the module declares typed settings").hasSizeGreaterThan(50);
        Path config = Files.writeString(tmp.resolve("gitops.toml"), EVERY_SECTION);
        LoadedSettings loaded = new SettingsLoader(Map.of()).load(config);
        Set<String> read = loaded.readKeys();

        assertThat(loaded.warnings()).isEmpty();
        assertThat(moduleKeys).as("module options the agent does not read (read: %s)", read)
                .allSatisfy(key -> assertThat(read).contains(key));
    }

    @Test
    void aKeyTheAgentDoesNotReadIsNotAmongTheKeysItReads() throws IOException {
        Path config = Files.writeString(tmp.resolve("gitops.toml"), EVERY_SECTION + "\n[deploy]\nbuild_timeout = \"1h\"\n");
        LoadedSettings loaded = new SettingsLoader(Map.of()).load(config);

        assertThat(loaded.readKeys()).contains("deploy.activation_timeout", "caches.*.destination")
                .doesNotContain("deploy.build_timeout");
        assertThat(loaded.warnings()).anyMatch(w -> w.contains("unknown key deploy.build_timeout"));
    }

    /** The leaf options under services.gitops.settings, as the options reference generated from the module lists them. */
    private static List<String> moduleSettingKeys() {
        String reference = NixInstantiate.evalJson("import ./nix/options-doc.nix").asText();
        return Arrays.stream(reference.split("\n")).map(ROW::matcher).filter(Matcher::find)
                .filter(m -> !m.group(2).trim().endsWith("submodule"))
                .map(m -> m.group(1))
                .toList();
    }
}
