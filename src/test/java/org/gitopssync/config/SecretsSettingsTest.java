package org.gitopssync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [secrets]} and {@code [vault]}: defaults, validation with file:line, credential sources only. */
class SecretsSettingsTest {

    @TempDir
    Path tmp;

    private static final String MINIMAL = """
            [repository]
            url = "https://git.example.com/infra/fleet.git"
            """;

    private Settings load(String toml, Map<String, String> env) throws IOException {
        Path f = tmp.resolve("gitops.toml");
        Files.writeString(f, MINIMAL + toml);
        return new SettingsLoader(env).load(f).settings();
    }

    private void refused(String toml, String suffix) {
        assertThatThrownBy(() -> load(toml, Map.of())).isInstanceOf(ConfigException.class).hasMessageEndingWith(suffix);
    }

    @Test
    void defaultsFollowSopsNix() throws IOException {
        Settings s = load("", Map.of());

        SecretsSettings secrets = s.secrets();
        assertThat(secrets.root()).isEqualTo(Path.of("/run/gitops-secrets"));
        assertThat(secrets.manifest()).isEqualTo("secrets/manifest.toml");
        assertThat(secrets.ageKeyFiles()).isEmpty();
        assertThat(secrets.sshKeyPaths()).isEqualTo(Files.exists(SecretsSettings.DEFAULT_SSH_HOST_KEY)
                ? List.of(SecretsSettings.DEFAULT_SSH_HOST_KEY) : List.of());
        assertThat(secrets.keepGenerations()).isEqualTo(1);
        assertThat(secrets.restartCommand()).containsExactly("systemctl");
        assertThat(secrets.pgpKeyFiles()).isEmpty();
        assertThat(s.vault()).isEmpty();
    }

    @Test
    void everySecretsKeyIsRead() throws IOException {
        Settings s = load("""
                [secrets]
                root = "/run/secrets.d"
                manifest = "hosts/web1/secrets.toml"
                age_key_files = ["/var/lib/gitops-sync/age.key"]
                ssh_key_paths = ["/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/other"]
                keep_generations = 3
                restart_command = ["/run/current-system/sw/bin/systemctl", "--no-block"]
                pgp_key_files = ["/var/lib/gitops-sync/pgp.asc"]
                """, Map.of("GITOPS_SECRETS_KEEP_GENERATIONS", "5"));

        SecretsSettings secrets = s.secrets();
        assertThat(secrets.root()).isEqualTo(Path.of("/run/secrets.d"));
        assertThat(secrets.manifest()).isEqualTo("hosts/web1/secrets.toml");
        assertThat(secrets.ageKeyFiles()).containsExactly(Path.of("/var/lib/gitops-sync/age.key"));
        assertThat(secrets.sshKeyPaths()).containsExactly(Path.of("/etc/ssh/ssh_host_ed25519_key"), Path.of("/etc/ssh/other"));
        assertThat(secrets.keepGenerations()).as("environment override").isEqualTo(5);
        assertThat(secrets.restartCommand()).containsExactly("/run/current-system/sw/bin/systemctl", "--no-block");
        assertThat(secrets.pgpKeyFiles()).containsExactly(Path.of("/var/lib/gitops-sync/pgp.asc"));
    }

    @Test
    void badSecretsValuesNameFileLineAndKey() {
        refused("[secrets]\nroot = \"run/secrets\"\n", ":4: secrets.root: expected an absolute path, got \"run/secrets\"");
        refused("[secrets]\nmanifest = \"../secrets.toml\"\n",
                ":4: secrets.manifest: expected a relative path inside the repository, got \"../secrets.toml\"");
        refused("[secrets]\nage_key_files = [\"age.key\"]\n", ":4: secrets.age_key_files: expected absolute paths, got \"age.key\"");
        refused("[secrets]\nkeep_generations = -1\n", ":4: secrets.keep_generations: expected an integer from 0 to 100, got -1");
        refused("[secrets]\nrestart_command = []\n",
                ":4: secrets.restart_command: expected a program and its leading arguments, e.g. [\"systemctl\"]");
    }

    @Test
    void vaultWithTokenOrAppRoleFromCredentialSources() throws IOException {
        Settings token = load("""
                [vault]
                address = "https://vault.example.com:8200/"
                namespace = "team-a"
                token = { file = "/run/keys/vault-token" }
                kv_versions = { secret = 2, "legacy/kv" = 1 }
                renew_interval = "10m"
                """, Map.of());

        VaultAccessSettings v = token.vault().orElseThrow();
        assertThat(v.address()).isEqualTo("https://vault.example.com:8200");
        assertThat(v.namespace()).isEqualTo("team-a");
        assertThat(v.auth()).isEqualTo(VaultAccessSettings.Auth.TOKEN);
        assertThat(v.token()).isEqualTo(new CredentialSource.File(Path.of("/run/keys/vault-token")));
        assertThat(v.kvVersions()).containsExactlyInAnyOrderEntriesOf(Map.of("secret", 2, "legacy/kv", 1));
        assertThat(v.renewInterval()).isEqualTo(Duration.ofMinutes(10));

        VaultAccessSettings approle = load("""
                [vault]
                address = "http://127.0.0.1:8200"
                auth = "approle"
                role_id = { env = "VAULT_ROLE_ID" }
                secret_id = { systemd-credential = "vault-secret-id" }
                """, Map.of()).vault().orElseThrow();
        assertThat(approle.auth()).isEqualTo(VaultAccessSettings.Auth.APPROLE);
        assertThat(approle.roleId()).isEqualTo(new CredentialSource.Env(List.of("VAULT_ROLE_ID")));
        assertThat(approle.secretId()).isEqualTo(new CredentialSource.SystemdCredential("vault-secret-id"));
        assertThat(approle.renewInterval()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void vaultMistakesAreRefusedWithoutEchoingSecrets() {
        refused("[vault]\naddress = \"https://v:8200\"\ntoken = \"hvs.inline-token\"\n",
                ":5: vault.token: inline secret values are not allowed; use { env = \"NAME\" }, { file = \"/path\" },"
                        + " { systemd-credential = \"name\" }, { vault = \"path#field\" } or \"none\"");
        assertThatThrownBy(() -> load("[vault]\naddress = \"https://v:8200\"\ntoken = \"hvs.inline-token\"\n", Map.of()))
                .hasMessageNotContaining("hvs.inline-token");
        refused("[vault]\naddress = \"https://v:8200\"\n",
                "gitops.toml: vault.token: required when auth = \"token\", e.g. token = { file = \"/run/keys/vault-token\" }");
        refused("[vault]\naddress = \"https://v:8200\"\nauth = \"approle\"\nrole_id = { env = \"R\" }\n",
                "gitops.toml: vault.secret_id: required when auth = \"approle\"");
        refused("[vault]\naddress = \"vault.example.com\"\n",
                ":4: vault.address: expected http(s)://host[:port], got \"vault.example.com\"");
        refused("[vault]\naddress = \"https://v:8200\"\ntoken = { vault = \"secret/x#token\" }\n",
                ":5: vault.token: Vault's own login cannot come from Vault; use env, file or systemd-credential");
        refused("[vault]\ntoken = { env = \"T\" }\n", ":4: vault.token: vault.address is not set (the [vault] section needs it)");
        refused("[vault]\naddress = \"https://v:8200\"\ntoken = { env = \"T\" }\nkv_versions = { secret = 3 }\n",
                ":6: vault.kv_versions.secret: expected an integer from 1 to 2, got 3");
    }
}
