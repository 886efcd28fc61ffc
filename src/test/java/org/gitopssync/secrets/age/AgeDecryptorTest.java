package org.gitopssync.secrets.age;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.gitopssync.secrets.Fixtures;
import org.gitopssync.secrets.SecretsException;
import org.junit.jupiter.api.Test;

class AgeDecryptorTest {

    private static AgeIdentity ssh(String name) {
        return AgeIdentities.readSshKey(Fixtures.path("keys/ssh/" + name));
    }

    private static String decrypt(String file, AgeIdentity... identities) {
        byte[] plain = new AgeDecryptor(List.of(identities)).decrypt(Fixtures.bytes(file), file);
        return new String(plain, StandardCharsets.UTF_8);
    }

    @Test
    void sshKeyConvertsToTheSameAgeKeyAsSshToAge() {
        AgeIdentity identity = ssh("sops-nix-ssh-ed25519-key");
        String expected = Fixtures.text("keys/ssh/sops-nix-ssh-ed25519-key.derived.agekey").lines()
                .filter(line -> line.startsWith("AGE-SECRET-KEY-1")).findFirst().orElseThrow();

        assertThat(identity.derivedSecretKey()).contains(expected);
        assertThat(identity.ageRecipient()).isEqualTo("age1a8pk4akrdamj7nvqy3zywgtny8dxz7t5xzu7u8v9mhrayp9freqsqatyrs");
        assertThat(identity.recipient()).isEqualTo(Fixtures.text("keys/ssh/sops-nix-ssh-ed25519-key.pub").strip());
    }

    @Test
    void x25519IdentityKnowsItsRecipient() {
        List<AgeIdentity> identities = AgeIdentities.readIdentityFile(Fixtures.path("keys/age/sops-nix.agekey"));

        assertThat(identities).singleElement().satisfies(identity -> {
            assertThat(identity.kind()).isEqualTo(AgeIdentity.Kind.X25519);
            assertThat(identity.recipient()).isEqualTo("age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw");
            assertThat(identity.toString()).doesNotContain("AGE-SECRET-KEY");
        });
    }

    @Test
    void agenixFilesOpenWithTheirSshKeys() {
        assertThat(decrypt("age-raw/agenix/secret1.age", ssh("agenix-user1"))).isEqualTo("hello\n");
        assertThat(decrypt("age-raw/agenix/secret1.age", ssh("agenix-system1"))).isEqualTo("hello\n");
        assertThat(decrypt("age-raw/agenix/secret2.age", ssh("agenix-user1"))).isEqualTo("world!\n");
        assertThat(decrypt("age-raw/agenix/passwordfile-user1.age", ssh("agenix-system1"))).startsWith("$6$");
        assertThat(decrypt("age-raw/agenix/leading-hyphen-filename.age", ssh("agenix-system1")))
                .isEqualTo("filename started with hyphen\n");
    }

    @Test
    void armoredAgenixFileOpens() {
        assertThat(decrypt("age-raw/agenix/armored-secret.age", ssh("agenix-user1"))).isEqualTo("Hello World!\n");
    }

    @Test
    void sopsUnitTestVectorsOpen() {
        AgeIdentity x25519 = AgeIdentities.readIdentityFile(Fixtures.path("keys/age/sops-unit-test.agekey")).get(0);

        assertThat(decrypt("age-raw/sops-unit/x25519-data.age", x25519)).isEqualTo("data");
        assertThat(decrypt("age-raw/sops-unit/ssh-ed25519-data.age", ssh("sops-unit-test-ssh-ed25519-key")))
                .isEqualTo("data");
    }

    @Test
    void wrongSshKeyIsNamedWithTheFilesRecipients() {
        AgeIdentity system1 = ssh("agenix-system1");

        assertThatThrownBy(() -> decrypt("age-raw/agenix/secret2.age", system1))
                .isInstanceOf(SecretsException.class)
                .hasMessageContaining("age-raw/agenix/secret2.age: no identity matches")
                .hasMessageContaining("ssh-ed25519 (key tag ")
                .hasMessageContaining("ssh-ed25519 key tag " + system1.sshTag().orElseThrow());
    }

    @Test
    void scryptFileIsReportedAsUnsupported() {
        AgeIdentity x25519 = AgeIdentities.readIdentityFile(Fixtures.path("keys/age/sops-unit-test.agekey")).get(0);

        assertThatThrownBy(() -> decrypt("age-raw/sops-unit/scrypt-passphrase-encrypted-identity.age", x25519))
                .hasMessageContaining("scrypt (passphrase, unsupported)");
    }

    @Test
    void postQuantumIdentityIsRejectedWithoutPrintingIt() {
        assertThatThrownBy(() -> AgeIdentities.readIdentityFile(Fixtures.path("keys/age/kustomize-controller-pq.agekey")))
                .isInstanceOf(SecretsException.class)
                .hasMessageContaining("post-quantum")
                .hasMessageContaining("line 3")
                .hasMessageNotContaining("Z8QMHKS77");
    }

    @Test
    void tamperedPayloadFails() {
        byte[] file = Fixtures.bytes("age-raw/agenix/secret1.age");
        file[file.length - 3] ^= 0x01;

        assertThatThrownBy(() -> new AgeDecryptor(List.of(ssh("agenix-user1"))).decrypt(file, "secret1.age"))
                .isInstanceOf(SecretsException.class)
                .hasMessageContaining("secret1.age: age payload is corrupted");
    }

    @Test
    void garbageIsNotAnAgeFile() {
        AgeDecryptor decryptor = new AgeDecryptor(List.of(ssh("agenix-user1")));

        assertThatThrownBy(() -> decryptor.decrypt("hello".getBytes(StandardCharsets.UTF_8), "junk"))
                .isInstanceOf(SecretsException.class).hasMessageStartingWith("junk: ");
        assertThatThrownBy(() -> decryptor.decrypt("-----BEGIN AGE ENCRYPTED FILE-----\n!!!\n".getBytes(StandardCharsets.UTF_8), "junk"))
                .isInstanceOf(SecretsException.class).hasMessageStartingWith("junk: ");
    }

    @Test
    void noIdentitiesIsAClearError() {
        assertThatThrownBy(() -> new AgeDecryptor(List.of()).decrypt(Fixtures.bytes("age-raw/agenix/secret1.age"), "s.age"))
                .hasMessageContaining("s.age: no age identities configured")
                .hasMessageContaining("ssh-ed25519 (key tag");
    }

    private static final String X25519_FILE = "age-raw/sops-unit/x25519-data.age";

    private static AgeIdentity sopsUnitKey() {
        return AgeIdentities.readIdentityFile(Fixtures.path("keys/age/sops-unit-test.agekey")).get(0);
    }

    /** The binary form of the armored sops unit-test vector. */
    private static String binaryX25519File() {
        String armored = Fixtures.text(X25519_FILE).strip();
        String body = armored.substring(armored.indexOf('\n') + 1, armored.lastIndexOf('\n')).replace("\n", "");
        return new String(Base64.getDecoder().decode(body), StandardCharsets.ISO_8859_1);
    }

    private static void refused(String file, String message) {
        AgeDecryptor decryptor = new AgeDecryptor(List.of(sopsUnitKey()));
        assertThatThrownBy(() -> decryptor.decrypt(file.getBytes(StandardCharsets.ISO_8859_1), "s.age"))
                .isInstanceOf(SecretsException.class)
                .hasMessage(message);
    }

    @Test
    void malformedFilesSayWhatIsWrongNotThatNoKeyMatches() {
        String file = binaryX25519File();
        assertThat(new AgeDecryptor(List.of(sopsUnitKey())).decrypt(file.getBytes(StandardCharsets.ISO_8859_1)))
                .isEqualTo("data".getBytes(StandardCharsets.UTF_8));
        String share = file.split("\n")[1].split(" ")[2];

        refused(file.replace("age-encryption.org/v1", "age-encryption.org/v2"),
                "s.age: not a valid age file: the first line is not age-encryption.org/v1");
        refused(file.replace("-> X25519 " + share, "-> X25519 " + share + "=="),
                "s.age: not a valid age file: stanza 1 (X25519) does not hold one 32-byte share");
        refused(file.replace("-> X25519 " + share, "-> X25519 " + "A".repeat(43)),
                "s.age: not a valid age file: stanza 1 (X25519) has a low-order share, which no key can open"
                        + " (the file is malicious or broken)");
        refused(file.substring(0, file.indexOf("\n---")) + "\n",
                "s.age: not a valid age file: the header ends without its MAC line (--- ...)");
        refused(file.substring(0, file.indexOf("\n---") + 1) + "--- AAAA\n",
                "s.age: not a valid age file: the header MAC line does not hold a 32-byte MAC");
    }

    @Test
    void onlyAWellFormedFileGetsNoIdentityMatches() {
        AgeIdentity other = AgeIdentities.readIdentityFile(Fixtures.path("keys/age/sops-nix.agekey")).get(0);

        assertThatThrownBy(() -> decrypt(X25519_FILE, other))
                .isInstanceOf(SecretsException.class)
                .hasMessageStartingWith(X25519_FILE + ": no identity matches the file's recipients (X25519)");
    }

    @Test
    void brokenArmorIsRecognisedAsAgeAndRefusedAsSuch() {
        String armored = Fixtures.text(X25519_FILE);
        String garbage = "hello\n" + armored;
        String lower = armored.replace("-----BEGIN AGE ENCRYPTED FILE-----", "-----begin age encrypted file-----");
        String wrongType = armored.replace("BEGIN AGE ENCRYPTED FILE", "BEGIN AGE ENCRYPTED DATA");

        for (String file : List.of(garbage, lower, wrongType)) {
            assertThat(AgeDecryptor.isAgeFile(file.getBytes(StandardCharsets.ISO_8859_1))).isTrue();
            refused(file, "s.age: not a valid age file: the armor does not begin with -----BEGIN AGE ENCRYPTED FILE-----"
                    + " (leading text, wrong case or wrong type)");
        }
        assertThat(AgeDecryptor.isAgeFile(Fixtures.bytes("sops-age/sops-nix/secrets.yaml"))).isFalse();
        assertThat(AgeDecryptor.isAgeFile(Fixtures.bytes("sops-age/kustomize-controller/inside/secret.key.enc.json")))
                .isFalse();
        refused(armored.replace("-----END AGE ENCRYPTED FILE-----", ""),
                "s.age: not a valid age file: the armor does not end with -----END AGE ENCRYPTED FILE-----");
    }
}
