package org.gitopssync.secrets.sops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.gitopssync.secrets.Fixtures;
import org.gitopssync.secrets.age.AgeDecryptor;
import org.gitopssync.secrets.age.AgeIdentities;
import org.gitopssync.secrets.age.AgeIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sops fixture decrypts to the leaves, types and MAC that index.json records. */
class SopsFixturesTest {

    static Stream<FixtureIndex> allFixtures() {
        return FixtureIndex.all().stream();
    }

    static Stream<FixtureIndex> ageFixtures() {
        return FixtureIndex.all().stream().filter(FixtureIndex::hasAgeKey);
    }

    @ParameterizedTest
    @MethodSource("allFixtures")
    void injectedDataKeyYieldsTheIndexedLeavesAndMac(FixtureIndex fixture) {
        SopsFile file = SopsFile.parse(fixture.file(), Fixtures.bytes(fixture.file()), fixture.sopsFormat());
        SopsDecryptor decryptor = new SopsDecryptor(List.of());
        DecryptedDocument document = fixture.macVerifies()
                ? decryptor.decryptWithDataKey(file, fixture.dataKey())
                : decryptor.ignoringMac().decryptWithDataKey(file, fixture.dataKey());

        assertLeaves(document, fixture);
        assertThat(file.metadata().lastModified().rfc3339()).isEqualTo(fixture.lastModified());
    }

    @ParameterizedTest
    @MethodSource("ageFixtures")
    void ageKeysOpenTheFilesEndToEnd(FixtureIndex fixture) {
        List<AgeIdentity> identities = fixture.decryptWith().stream()
                .flatMap(key -> AgeIdentities.readIdentityFile(Fixtures.path(key)).stream()).toList();
        SopsDecryptor decryptor = new SopsDecryptor(List.of(new AgeKeySource(new AgeDecryptor(identities))));

        DecryptedDocument document = decryptor.decrypt(SopsFile.parse(Fixtures.path(fixture.file()), fixture.sopsFormat()));

        assertLeaves(document, fixture);
    }

    @Test
    void sshKeyOpensSopsNixSecretsTheSopsNixWay() {
        AgeIdentity host = AgeIdentities.readSshKey(Fixtures.path("keys/ssh/sops-nix-ssh-ed25519-key"));
        SopsDecryptor decryptor = new SopsDecryptor(List.of(new AgeKeySource(new AgeDecryptor(List.of(host)))));

        DecryptedDocument document = decryptor.decrypt(SopsFile.parse(Fixtures.path("sops-age/sops-nix/secrets.yaml")));

        assertThat(document.value("test_key")).isEqualTo("test_value");
        assertThat(document.value("nested/test/file")).isEqualTo("another value");
        assertThat(document.computedMac()).isEqualTo(FixtureIndex.of("sops-age/sops-nix/secrets.yaml").mac());
    }

    @Test
    void derivedAgeKeyFileOpensSopsNixSecretsToo() {
        List<AgeIdentity> derived = AgeIdentities.readIdentityFile(
                Fixtures.path("keys/ssh/sops-nix-ssh-ed25519-key.derived.agekey"));
        SopsDecryptor decryptor = new SopsDecryptor(List.of(new AgeKeySource(new AgeDecryptor(derived))));

        assertThat(decryptor.decrypt(SopsFile.parse(Fixtures.path("sops-age/sops-nix/secrets.yaml"))).value("test_key"))
                .isEqualTo("test_value");
    }

    @Test
    void formatComesFromTheExtensionUnlessOverridden() {
        String inside = "sops-age/kustomize-controller/inside/secret.key.enc.json";
        SopsDecryptor decryptor = new SopsDecryptor(List.of(new AgeKeySource(new AgeDecryptor(
                AgeIdentities.readIdentityFile(Fixtures.path("keys/age/kustomize-controller.agekey"))))));

        assertThat(SopsFormat.forFileName("a/secrets.yml")).isEqualTo(SopsFormat.YAML);
        assertThat(SopsFormat.forFileName("x.ENV")).isEqualTo(SopsFormat.DOTENV);
        assertThat(SopsFormat.forFileName("config.ini")).isEqualTo(SopsFormat.INI);
        assertThat(SopsFormat.forFileName("file.txt")).isEqualTo(SopsFormat.BINARY);
        assertThat(decryptor.decrypt(SopsFile.parse(Fixtures.path(inside))).render()).asString()
                .isEqualTo("{\n\t\"data\": \"value\"\n}\n");
        assertThat(decryptor.decrypt(SopsFile.parse(Fixtures.path(inside), SopsFormat.BINARY)).render()).asString()
                .isEqualTo("value");
    }

    private static void assertLeaves(DecryptedDocument document, FixtureIndex fixture) {
        assertThat(document.computedMac()).isEqualTo(fixture.mac());
        assertThat(document.leaves())
                .extracting(SopsLeaf::path, SopsLeaf::value, SopsLeaf::type, SopsLeaf::inMac)
                .containsExactlyElementsOf(fixture.leaves().stream()
                        .map(leaf -> org.assertj.core.groups.Tuple.tuple(leaf.aad(), leaf.value(), leaf.type(), leaf.inMac()))
                        .toList());
    }
}
