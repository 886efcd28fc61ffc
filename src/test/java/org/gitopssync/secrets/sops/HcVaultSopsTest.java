package org.gitopssync.secrets.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gitopssync.config.Credential;
import org.gitopssync.secrets.age.AgeDecryptor;
import org.gitopssync.secrets.age.AgeIdentity;
import org.gitopssync.secrets.vault.VaultAuth;
import org.gitopssync.secrets.vault.VaultClient;
import org.gitopssync.secrets.vault.VaultServerDouble;
import org.gitopssync.secrets.vault.VaultSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** sops files with hc_vault keys, wrapped and unwrapped through the Vault transit engine of the server double. */
class HcVaultSopsTest {

    private static final AgeIdentity ALICE = AgeIdentity.x25519(
            "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX", "test alice");

    private VaultServerDouble vault;
    private VaultClient client;
    private final byte[] dataKey = new byte[32];

    @BeforeEach
    void start() throws Exception {
        new SecureRandom().nextBytes(dataKey);
        vault = new VaultServerDouble("");
        vault.createTransitKey("transit", "sops");
        vault.addAppRole("gitops", "s3cret-id", 3600);
        client = VaultClient.connect(new VaultSettings(vault.address(), "",
                new VaultAuth.AppRole("gitops", Credential.of("s3cret-id", "test"))));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private SopsTestWriter.MasterKeySpec vaultKey() {
        return SopsTestWriter.vault(vault.address(), "transit", "sops", part -> client.encrypt("transit", "sops", part));
    }

    private static SopsFile parse(byte[] yaml) {
        return SopsFile.parse("vault.yaml", yaml, SopsFormat.YAML);
    }

    @Test
    void hcVaultKeyOpensTheFileThroughTransitDecrypt() {
        byte[] yaml = new SopsTestWriter(dataKey).put("db/password", "from-vault", true).keyGroup(vaultKey()).toYaml();

        DecryptedDocument document = new SopsDecryptor(List.of(new HcVaultKeySource(client))).decrypt(parse(yaml));

        assertThat(document.value("db/password")).isEqualTo("from-vault");
        assertThat(parse(yaml).masterKeys()).singleElement().satisfies(key -> {
            assertThat(key.type()).isEqualTo("hc_vault");
            assertThat(key.identifier()).isEqualTo(vault.address() + "/v1/transit/keys/sops");
        });
        assertThat(vault.count("transit/decrypt/sops")).isEqualTo(1);
    }

    @Test
    void vaultAndAgeGroupsCombineAsShamirShares() {
        byte[] yaml = new SopsTestWriter(dataKey).put("token", "split", true)
                .keyGroup(vaultKey())
                .keyGroup(SopsTestWriter.age(ALICE.recipient()))
                .shamirThreshold(2)
                .toYaml();
        SopsDecryptor both = new SopsDecryptor(List.of(new HcVaultKeySource(client),
                new AgeKeySource(new AgeDecryptor(List.of(ALICE)))));

        assertThat(both.decrypt(parse(yaml)).value("token")).isEqualTo("split");
        assertThatThrownBy(() -> new SopsDecryptor(List.of(new HcVaultKeySource(client))).decrypt(parse(yaml)))
                .hasMessageContaining("1 of 2 required key groups opened")
                .hasMessageContaining("group 2: skipped age " + ALICE.recipient());
    }

    @Test
    void revokedTokenIsNamedInTheError() {
        byte[] yaml = new SopsTestWriter(dataKey).put("a", "b", true).keyGroup(vaultKey()).toYaml();
        vault.revokeAll();

        assertThatThrownBy(() -> new SopsDecryptor(List.of(new HcVaultKeySource(client))).decrypt(parse(yaml)))
                .hasMessageStartingWith("no key opened vault.yaml: tried hc_vault " + vault.address()
                        + "/v1/transit/keys/sops (Vault at " + vault.address()
                        + ": transit decrypt with transit/decrypt/sops failed: HTTP 403");
    }

    @Test
    void renewedClientKeepsWorking() {
        byte[] yaml = new SopsTestWriter(dataKey).put("a", "b", true).keyGroup(vaultKey()).toYaml();

        client.renewSelf(Duration.ofHours(1));

        assertThat(new SopsDecryptor(List.of(new HcVaultKeySource(client))).decrypt(parse(yaml)).value("a")).isEqualTo("b");
    }

    @Test
    void fileForAnotherVaultIsNotSentToOurs() {
        byte[] yaml = new SopsTestWriter(dataKey).put("a", "b", true)
                .keyGroup(SopsTestWriter.vault("https://vault.elsewhere.example:8200", "transit", "sops",
                        part -> client.encrypt("transit", "sops", part)))
                .toYaml();
        long before = vault.count("transit/decrypt/sops");

        assertThatThrownBy(() -> new SopsDecryptor(List.of(new HcVaultKeySource(client))).decrypt(parse(yaml)))
                .hasMessageContaining("(no Vault client configured for https://vault.elsewhere.example:8200)");
        assertThat(vault.count("transit/decrypt/sops")).isEqualTo(before);
    }

    @Test
    void injectedTransitStandsInForVault() {
        Map<String, byte[]> wrapped = Map.of("vault:v1:fake", dataKey);
        org.gitopssync.secrets.vault.VaultTransit fake = new org.gitopssync.secrets.vault.VaultTransit() {
            public String address() {
                return "https://vault.test:8200";
            }

            public byte[] decrypt(String enginePath, String keyName, String ciphertext) {
                return wrapped.get(ciphertext);
            }
        };
        byte[] yaml = new SopsTestWriter(dataKey).put("x", "y", true)
                .keyGroup(SopsTestWriter.vault("https://vault.test:8200/", "transit", "k", part -> "vault:v1:fake"))
                .toYaml();

        assertThat(new SopsDecryptor(List.of(new HcVaultKeySource(fake))).decrypt(parse(yaml)).value("x")).isEqualTo("y");
    }
}
