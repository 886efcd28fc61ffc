package org.gitopssync.secrets.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gitopssync.secrets.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The PGP-only fixtures decrypt end to end with their OpenPGP secret keys (BouncyCastle, no gpg). */
class PgpKeySourceTest {

    private static final List<Path> ALL_KEYS = List.of(
            Fixtures.path("keys/pgp/sops-functional-tests-FBC7B9E2-D7229043.asc"),
            Fixtures.path("keys/pgp/sops-nix-7FB89715.asc"),
            Fixtures.path("keys/pgp/kustomize-controller-35C1A64C.asc"));

    static Stream<FixtureIndex> pgpFixtures() {
        return FixtureIndex.all().stream().filter(fixture -> fixture.decryptWith().contains("pgp"));
    }

    @ParameterizedTest
    @MethodSource("pgpFixtures")
    void pgpKeysRecoverTheIndexedDataKey(FixtureIndex fixture) {
        SopsDecryptor decryptor = new SopsDecryptor(List.of(PgpKeySource.readKeyFiles(ALL_KEYS)));
        if (!fixture.macVerifies()) {
            decryptor = decryptor.ignoringMac();
        }

        DecryptedDocument document = decryptor.decrypt(SopsFile.parse(Fixtures.path(fixture.file()), fixture.sopsFormat()));

        assertThat(document.computedMac()).isEqualTo(fixture.mac());
        assertThat(document.leaves()).extracting(SopsLeaf::path)
                .containsExactlyElementsOf(fixture.leaves().stream().map(FixtureIndex.ExpectedLeaf::aad).toList());
    }

    @Test
    void sopsNixFileOpensWithItsPgpKeyAlone() {
        SopsDecryptor decryptor = new SopsDecryptor(List.of(
                PgpKeySource.readKeyFiles(List.of(Fixtures.path("keys/pgp/sops-nix-7FB89715.asc")))));

        assertThat(decryptor.decrypt(SopsFile.parse(Fixtures.path("sops-age/sops-nix/secrets.yaml"))).value("test_key"))
                .isEqualTo("test_value");
    }

    @Test
    void wrongPgpKeyIsNamed() {
        SopsDecryptor decryptor = new SopsDecryptor(List.of(
                PgpKeySource.readKeyFiles(List.of(Fixtures.path("keys/pgp/kustomize-controller-35C1A64C.asc")))));
        SopsFile file = SopsFile.parse(Fixtures.path("sops-pgp/getsops-sops/functional-tests/res/format.enc.yaml"));

        assertThatThrownBy(() -> decryptor.decrypt(file))
                .hasMessageEndingWith("tried pgp FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4 (no matching secret key)");
    }

    @Test
    void notAKeyFile() {
        assertThatThrownBy(() -> PgpKeySource.fromArmored("hello", "inline"))
                .hasMessageStartingWith("inline: ");
    }
}
