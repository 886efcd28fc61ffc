package org.gitopssync.secrets.age;

import java.util.List;
import org.gitopssync.secrets.Fixtures;
import org.gitopssync.testing.Mutations;
import org.junit.jupiter.api.Test;

/** Broken and hostile age files, binary and armored, end in plaintext or a clear refusal. */
class AgeMutationTest {

    @Test
    void mutatedBinaryFilesEndInSuccessOrAOneLineRefusal() {
        AgeDecryptor decryptor = new AgeDecryptor(List.of(AgeIdentities.readSshKey(
                Fixtures.path("keys/ssh/agenix-user1"))));
        List<byte[]> seeds = List.of(Fixtures.bytes("age-raw/agenix/secret1.age"),
                Fixtures.bytes("age-raw/agenix/secret2.age"));

        Mutations.assertEveryInputEndsCleanly("binary age", Mutations.of(seeds, 20261207L, 300),
                input -> decryptor.decrypt(input, "secret.age"));
    }

    @Test
    void mutatedArmoredFilesEndInSuccessOrAOneLineRefusal() {
        AgeDecryptor decryptor = new AgeDecryptor(List.of(
                AgeIdentities.readIdentityFile(Fixtures.path("keys/age/sops-unit-test.agekey")).get(0),
                AgeIdentities.readSshKey(Fixtures.path("keys/ssh/agenix-user1"))));
        List<byte[]> seeds = List.of(Fixtures.bytes("age-raw/sops-unit/x25519-data.age"),
                Fixtures.bytes("age-raw/agenix/armored-secret.age"));

        Mutations.assertEveryInputEndsCleanly("armored age", Mutations.of(seeds, 7_102_026L, 300),
                input -> decryptor.decrypt(input, "secret.age"));
    }
}
