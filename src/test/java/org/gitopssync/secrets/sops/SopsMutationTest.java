package org.gitopssync.secrets.sops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.gitopssync.secrets.Fixtures;
import org.gitopssync.testing.Mutations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile and broken sops files, made by seeded mutation of real ones, end in a decrypted file or a clear refusal. */
class SopsMutationTest {

    @ParameterizedTest
    @ValueSource(strings = {"sops-age/sops-nix/secrets.yaml", "sops-pgp/sops-nix/secrets.json",
        "sops-pgp/sops-nix/secrets.ini", "sops-pgp/sops-nix/secrets.env"})
    void mutatedFilesEndInSuccessOrAOneLineRefusal(String vector) {
        FixtureIndex fixture = FixtureIndex.of(vector);
        SopsFormat format = fixture.sopsFormat();
        SopsDecryptor decryptor = new SopsDecryptor(List.of());
        List<byte[]> inputs = Mutations.of(List.of(Fixtures.bytes(vector)), vector.hashCode(), 300);

        int refused = Mutations.assertEveryInputEndsCleanly(vector, inputs, input -> {
            SopsFile file = SopsFile.parse("secrets." + format.name().toLowerCase(Locale.ROOT), input, format);
            decryptor.decryptWithDataKey(file, fixture.dataKey()).render();
        });

        // The MAC covers every value: nearly every mutant must be refused, not decrypted to something else.
        assertThat(refused).isGreaterThan(200);
    }
}
