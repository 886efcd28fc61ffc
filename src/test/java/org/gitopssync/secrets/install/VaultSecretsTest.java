package org.gitopssync.secrets.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.config.SecretsSettings;
import org.gitopssync.config.VaultAccessSettings;
import org.gitopssync.secrets.sops.SopsFiles;
import org.gitopssync.secrets.vault.VaultServerDouble;
import org.gitopssync.secrets.vault.VaultSession;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifest secrets from Vault KV and sops files wrapped by Vault transit, against the in-process Vault double. */
class VaultSecretsTest {

    @TempDir
    Path tmp;

    VaultServerDouble vault;
    StateStore store;
    String token;
    final Map<String, byte[]> repo = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        vault = new VaultServerDouble("");
        store = StateStore.open(tmp.resolve("state"));
        token = vault.issueToken(3600, true);
        vault.putKv2("secret", "app/db", Map.of("password", "kv2-password", "user", "app"));
        vault.putKv1("legacy/kv", "api", Map.of("token", "kv1-token"));
        vault.createTransitKey("transit", "sops");
    }

    @AfterEach
    void stop() {
        vault.close();
        store.close();
    }

    VaultSession session() {
        VaultAccessSettings settings = new VaultAccessSettings(vault.address(), "", VaultAccessSettings.Auth.TOKEN,
                new CredentialSource.Env(List.of("VAULT_TOKEN_FOR_TEST")), CredentialSource.none(), CredentialSource.none(),
                "approle", Map.of("legacy/kv", 1), Duration.ofMinutes(15), Duration.ofSeconds(10));
        return new VaultSession(settings, new CredentialResolver(Map.of("VAULT_TOKEN_FOR_TEST", token), (p, f) -> {
            throw new AssertionError("vault credentials never come from vault");
        }));
    }

    SecretsInstaller installer(VaultSession session) {
        SecretsSettings s = new SecretsSettings(tmp.resolve("secrets"), "secrets/manifest.toml", List.of(), List.of(), 1,
                List.of("true"), List.of());
        return new SecretsInstaller(s, () -> SecretsKeys.from(s, Map.of(), Optional.of(session)),
                new RecordingCommandRunner(), store, LinkConfinement.of(tmp.resolve("state"), s.root(), tmp.resolve("profiles")));
    }

    CommitFiles commit() {
        Map<String, byte[]> snapshot = Map.copyOf(repo);
        return CommitFiles.of("feedface", p -> Optional.ofNullable(snapshot.get(p)));
    }

    @Test
    void kvV2AndV1FieldsAndTransitWrappedSopsFilesAreInstalled() {
        VaultSession session = session();
        repo.put("secrets/vault.yaml", SopsFiles.yamlForVault(Map.of("smtp/password", "via-transit"), vault.address(),
                "transit", "sops", key -> session.client().encrypt("transit", "sops", key)));
        repo.put("secrets/manifest.toml", """
                [[secrets]]
                name = "db-password"
                vault = "secret/app/db"
                field = "password"
                [[secrets]]
                name = "db-user"
                vault = "secret/app/db"
                field = "user"
                [[secrets]]
                name = "api-token"
                vault = "legacy/kv/api"
                field = "token"
                [[secrets]]
                name = "smtp"
                sops_file = "secrets/vault.yaml"
                key = "smtp/password"
                """.getBytes(StandardCharsets.UTF_8));

        SecretsUpdate update = installer(session).prepare(commit());
        update.switchLive();

        Path current = tmp.resolve("secrets/current");
        assertThat(current.resolve("db-password")).hasContent("kv2-password");
        assertThat(current.resolve("api-token")).hasContent("kv1-token");
        assertThat(current.resolve("smtp")).hasContent("via-transit");
        assertThat(current.resolve("db-user")).exists();
        assertThat(vault.count("secret/data/app/db")).as("two fields of one secret, one read").isEqualTo(1);
        assertThat(vault.count("legacy/kv/api")).as("the configured KV v1 mount").isEqualTo(1);
        assertThat(vault.count("transit/decrypt/sops")).isEqualTo(1);
    }

    @Test
    void aMissingFieldOrPathNamesTheSecretAndNeverAValue() {
        repo.put("secrets/manifest.toml", """
                [[secrets]]
                name = "db-user"
                vault = "secret/app/db"
                field = "nope"
                """.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> installer(session()).prepare(commit()))
                .hasMessage("secrets/manifest.toml:1: secret \"db-user\": Vault at " + vault.address()
                        + ": KV read of secret/app/db has no field \"nope\"")
                .hasMessageNotContaining("kv2-password");
    }

    @Test
    void vaultSecretsWithoutAVaultSectionAreAClearError() {
        SecretsSettings s = new SecretsSettings(tmp.resolve("secrets"), "secrets/manifest.toml", List.of(), List.of(), 1,
                List.of("true"), List.of());
        SecretsInstaller noVault = new SecretsInstaller(s, () -> SecretsKeys.from(s, Map.of(), Optional.empty()),
                new RecordingCommandRunner(), store, LinkConfinement.of(tmp.resolve("state"), s.root(), tmp.resolve("profiles")));
        repo.put("secrets/manifest.toml", "[[secrets]]\nname = \"x\"\nvault = \"secret/app/db\"\nfield = \"user\"\n"
                .getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> noVault.prepare(commit())).hasMessage("secrets/manifest.toml:1: secret \"x\":"
                + " vault secret/app/db#user: no [vault] section is configured on this host");
    }

    @Test
    void credentialsFromVaultResolveThroughTheSession() {
        VaultSession session = session();
        CredentialResolver resolver = new CredentialResolver(Map.of(), (p, f) -> {
            throw new AssertionError();
        }).withVault(session::read);

        assertThat(resolver.value("repository.credentials", new CredentialSource.Vault("secret/app/db", "user"))
                .orElseThrow().reveal()).isEqualTo("app");
        assertThat(resolver.value("x", new CredentialSource.Vault("legacy/kv/api", "token")).orElseThrow().reveal())
                .isEqualTo("kv1-token");
    }

    @Test
    void renewalWaitsForTheFirstLoginThenRenewsTheToken() {
        VaultSession session = session();

        session.renew();
        assertThat(vault.count("auth/token/renew-self")).as("no login yet, nothing to renew").isZero();

        session.read("secret/app/db", "user");
        session.renew();
        assertThat(vault.count("auth/token/renew-self")).isEqualTo(1);
        assertThat(vault.requests()).allSatisfy(r -> assertThat(r.token()).isEqualTo(token));
    }
}
