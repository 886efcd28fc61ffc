package org.gitopssync.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.gitopssync.config.Credential;
import org.gitopssync.secrets.SecretsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** VaultClient against the in-process VaultServerDouble (no real Vault server is available here). */
class VaultClientTest {

    private VaultServerDouble vault;

    @BeforeEach
    void start() throws Exception {
        vault = new VaultServerDouble("team-a");
        vault.putKv2("secret", "app/db", Map.of("password", "kv2-pass", "port", 5432));
        vault.putKv1("legacy", "app", Map.of("api_key", "kv1-key"));
        vault.createTransitKey("transit", "sops");
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private VaultClient tokenClient(String namespace, String token) {
        return VaultClient.connect(new VaultSettings(vault.address(), namespace,
                new VaultAuth.Token(Credential.of(token, "test")), Map.of("legacy", 1), Duration.ofSeconds(5)));
    }

    @Test
    void doubleServesKvV2AndV1WithNamespaceAndTokenHeaders() {
        String token = vault.issueToken(3600, true);
        VaultClient client = tokenClient("team-a", token);

        Credential password = client.readKv("secret", "app/db", "password");
        Credential port = client.readKv("/secret/", "app/db", "port");
        Credential apiKey = client.readKv("legacy", "app", "api_key");

        assertThat(password.reveal()).isEqualTo("kv2-pass");
        assertThat(password.toString()).doesNotContain("kv2-pass").contains("vault secret/app/db#password");
        assertThat(port.reveal()).isEqualTo("5432");
        assertThat(apiKey.reveal()).isEqualTo("kv1-key");
        assertThat(vault.requests()).extracting(VaultServerDouble.Request::path)
                .containsExactly("secret/data/app/db", "secret/data/app/db", "legacy/app");
        assertThat(vault.requests()).allSatisfy(request -> {
            assertThat(request.token()).isEqualTo(token);
            assertThat(request.namespace()).isEqualTo("team-a");
            assertThat(request.vaultRequestHeader()).isEqualTo("true");
        });
    }

    @Test
    void doubleDeniesAnotherNamespace() {
        VaultClient client = tokenClient("team-b", vault.issueToken(3600, true));

        assertThatThrownBy(() -> client.readKv("secret", "app/db", "password"))
                .isInstanceOf(SecretsException.class)
                .hasMessageContaining("KV read of secret/app/db failed: HTTP 403");
    }

    @Test
    void doubleRejectsAnUnknownTokenWithoutTheTokenInTheMessage() {
        VaultClient client = tokenClient("team-a", "hvs.not-a-real-token");

        assertThatThrownBy(() -> client.readKv("secret", "app/db", "password"))
                .hasMessageContaining("HTTP 403 (permission denied")
                .hasMessageContaining("permission denied")
                .hasMessageNotContaining("hvs.not-a-real-token");
    }

    @Test
    void doubleAnswers404ForMissingPathsAndFieldsAreChecked() {
        VaultClient client = tokenClient("team-a", vault.issueToken(3600, true));

        assertThatThrownBy(() -> client.readKv("secret", "app/nope", "password"))
                .hasMessage("Vault at " + vault.address() + ": KV read of secret/app/nope failed: HTTP 404 (no such path)");
        assertThatThrownBy(() -> client.readKv("secret", "app/db", "user"))
                .hasMessageContaining("has no field \"user\"");
    }

    @Test
    void appRoleLoginIssuesATokenUsedForLaterCalls() {
        vault.addAppRole("role-1", "secret-id-1", 1800);
        VaultClient client = VaultClient.connect(new VaultSettings(vault.address(), "team-a",
                new VaultAuth.AppRole("role-1", Credential.of("secret-id-1", "test"))));

        assertThat(client.lease()).isEqualTo(new TokenLease(Duration.ofMinutes(30), true));
        assertThat(client.readKv("secret", "app/db", "password").reveal()).isEqualTo("kv2-pass");
        assertThat(vault.requests().get(0).path()).isEqualTo("auth/approle/login");
        assertThat(vault.requests().get(1).token()).startsWith("hvs.");
    }

    @Test
    void appRoleWithAWrongSecretIdFails() {
        vault.addAppRole("role-1", "secret-id-1", 1800);

        assertThatThrownBy(() -> VaultClient.connect(new VaultSettings(vault.address(), "team-a",
                new VaultAuth.AppRole("role-1", Credential.of("wrong-secret-id", "test")))))
                .isInstanceOf(SecretsException.class)
                .hasMessageContaining("AppRole login at auth/approle failed: HTTP 400")
                .hasMessageNotContaining("wrong-secret-id");
    }

    @Test
    void renewSelfExtendsTheLease() {
        VaultClient client = tokenClient("team-a", vault.issueToken(60, true));

        TokenLease lease = client.renewSelf(Duration.ofHours(2));

        assertThat(lease).isEqualTo(new TokenLease(Duration.ofHours(2), true));
        assertThat(client.lease()).isEqualTo(lease);
        assertThat(vault.count("auth/token/renew-self")).isEqualTo(1);
    }

    @Test
    void renewSelfOfANonRenewableTokenFails() {
        VaultClient client = tokenClient("team-a", vault.issueToken(60, false));

        assertThatThrownBy(() -> client.renewSelf(Duration.ofHours(1)))
                .hasMessageContaining("token renewal failed: HTTP 400");
    }

    @Test
    void appRoleClientLogsInAgainWhenItsTokenWasRevoked() {
        vault.addAppRole("role-1", "secret-id-1", 600);
        VaultClient client = VaultClient.connect(new VaultSettings(vault.address(), "team-a",
                new VaultAuth.AppRole("role-1", Credential.of("secret-id-1", "test"))));
        vault.revokeAll();

        TokenLease lease = client.renewSelf(Duration.ofMinutes(10));

        assertThat(lease.ttl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(vault.count("auth/approle/login")).isEqualTo(2);
        assertThat(client.readKv("secret", "app/db", "password").reveal()).isEqualTo("kv2-pass");
    }

    @Test
    void transitRoundTripUsesTheRealEnginePath() {
        VaultClient client = tokenClient("team-a", vault.issueToken(3600, true));
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

        String ciphertext = client.encrypt("transit", "sops", key);

        assertThat(ciphertext).startsWith("vault:v1:");
        assertThat(client.decrypt("transit", "sops", ciphertext)).isEqualTo(key);
        assertThat(vault.requests()).extracting(VaultServerDouble.Request::path)
                .containsExactly("transit/encrypt/sops", "transit/decrypt/sops");
    }

    @Test
    void transitRejectsATamperedCiphertext() {
        VaultClient client = tokenClient("team-a", vault.issueToken(3600, true));
        String ciphertext = client.encrypt("transit", "sops", new byte[32]);
        String tampered = ciphertext.substring(0, 20) + (ciphertext.charAt(20) == 'A' ? 'B' : 'A') + ciphertext.substring(21);

        assertThatThrownBy(() -> client.decrypt("transit", "sops", tampered))
                .hasMessageContaining("transit decrypt with transit/decrypt/sops failed: HTTP 400")
                .hasMessageContaining("cipher: message authentication failed");
    }

    @Test
    void unreachableVaultIsReported() {
        VaultClient client = tokenClient("team-a", vault.issueToken(3600, true));
        vault.close();

        assertThatThrownBy(() -> client.readKv("secret", "app/db", "password"))
                .hasMessageStartingWith("cannot reach Vault at " + vault.address());
    }

    @Test
    void settingsNeverPrintCredentials() {
        VaultSettings settings = new VaultSettings(vault.address() + "/", "team-a",
                new VaultAuth.AppRole("role-1", Credential.of("very-secret-id", "env VAULT_SECRET_ID")));

        assertThat(settings.address()).isEqualTo(vault.address());
        assertThat(settings.toString()).doesNotContain("very-secret-id");
    }
}
