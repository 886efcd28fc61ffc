package org.gitopssync.secrets.sops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.gitopssync.secrets.Fixtures;
import org.gitopssync.secrets.age.AgeDecryptor;
import org.gitopssync.secrets.age.AgeIdentities;
import org.gitopssync.secrets.age.AgeIdentity;
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

    private static void assertLeaves(DecryptedDocument document, FixtureIndex fixture) {
        assertThat(document.computedMac()).isEqualTo(fixture.mac());
        assertThat(document.leaves())
                .extracting(SopsLeaf::path, SopsLeaf::value, SopsLeaf::type, SopsLeaf::inMac)
                .containsExactlyElementsOf(fixture.leaves().stream()
                        .map(leaf -> org.assertj.core.groups.Tuple.tuple(leaf.aad(), leaf.value(), leaf.type(), leaf.inMac()))
                        .toList());
    }
}
