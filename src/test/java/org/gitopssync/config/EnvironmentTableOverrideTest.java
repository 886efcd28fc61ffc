package org.gitopssync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables and arrays of tables overridden from the environment as inline TOML values: applied, or refused; never ignored. */
class EnvironmentTableOverrideTest {

    @TempDir
    Path tmp;

    private static final String FILE = """
            [repository]
            url = "https://git.example.com/infra/fleet.git"

            [nix.options]
            cores = "8"

            [web]
            port = 4000
            """;

    private LoadedSettings load(Map<String, String> env) throws IOException {
        Path f = tmp.resolve("gitops.toml");
        Files.writeString(f, FILE);
        return new SettingsLoader(env).load(f);
    }

    @Test
    void tablesAreReplacedByInlineTables() throws IOException {
        LoadedSettings loaded = load(Map.of(
                "GITOPS_NIX_OPTIONS", "{ cores = \"2\", max-jobs = \"1\" }",
                "GITOPS_WEB", "{ enable = true, address = \"0.0.0.0\" }",
                "GITOPS_WEB_ADDRESS", "::1",
                "GITOPS_VAULT", "{ address = \"https://vault.example.com\", token = { env = \"VAULT_TOKEN\" } }",
                "GITOPS_VAULT_KV_VERSIONS", "{ secret = 1, \"legacy/kv\" = 2 }"));
        Settings s = loaded.settings();

        assertThat(loaded.warnings()).isEmpty();
        assertThat(s.nix().options()).containsExactlyInAnyOrderEntriesOf(Map.of("cores", "2", "max-jobs", "1"));
        assertThat(s.web().enable()).isTrue();
        assertThat(s.web().port()).as("the table is replaced as a whole").isEqualTo(3030);
        assertThat(s.web().address()).as("per-key variables apply on top").isEqualTo("::1");
        assertThat(s.vault().orElseThrow().kvVersions()).containsExactlyInAnyOrderEntriesOf(Map.of("secret", 1, "legacy/kv", 2));
    }

    @Test
    void arraysOfTablesAreReplacedByInlineArrays() throws IOException {
        Settings s = load(Map.of(
                "GITOPS_CACHES", "[{ id = \"local\", type = \"nix-copy\", destination = \"file:///srv/cache\","
                        + " permissions = { allow_all = true }, allow_private_hosts = true }]",
                "GITOPS_FORGES", "[{ type = \"gitea\", api_url = \"https://git.example.com\","
                        + " credentials = { env = \"FORGE_TOKEN\" } }]")).settings();

        assertThat(s.caches()).hasSize(1);
        assertThat(s.caches().get(0).id()).isEqualTo("local");
        assertThat(s.forges()).hasSize(1);
        assertThat(s.forges().get(0).type()).isEqualTo(ForgeSettings.ForgeType.GITEA);
        assertThat(s.forges().get(0).repository()).isEqualTo("infra/fleet");
    }

    @Test
    void malformedOrMistypedValuesAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> load(Map.of("GITOPS_NIX_OPTIONS", "cores=2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("environment GITOPS_NIX_OPTIONS: nix.options: expected an inline table, e.g. { key = \"value\" } (TOML syntax)");
        assertThatThrownBy(() -> load(Map.of("GITOPS_WEB", "\"on\"")))
                .hasMessage("environment GITOPS_WEB: web: expected an inline table, e.g. { key = \"value\" }, got a string");
        assertThatThrownBy(() -> load(Map.of("GITOPS_CACHES", "{ id = \"a\" }")))
                .hasMessage("environment GITOPS_CACHES: caches: expected an inline array of tables, e.g. [{ key = \"value\" }], got a table");
        assertThatThrownBy(() -> load(Map.of("GITOPS_NIX_OPTIONS", "{ cores = 2 }")))
                .hasMessage("environment GITOPS_NIX_OPTIONS: nix.options.cores: expected a string, got an integer");
        assertThatThrownBy(() -> load(Map.of("GITOPS_FORGES", "[{ type = \"gitea\" }]")))
                .hasMessageStartingWith("environment GITOPS_FORGES: forges[0].api_url: required for gitea");
    }

    @Test
    void unknownKeysInsideAnEnvironmentTableAreReportedAgainstTheVariable() throws IOException {
        LoadedSettings loaded = load(Map.of("GITOPS_WEB", "{ enabel = true }"));

        assertThat(loaded.warnings()).containsExactly("environment GITOPS_WEB: unknown key web.enabel (did you mean web.enable?)");
    }
}
