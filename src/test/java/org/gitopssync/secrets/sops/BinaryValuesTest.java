package org.gitopssync.secrets.sops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.gitopssync.secrets.age.AgeDecryptor;
import org.gitopssync.secrets.age.AgeIdentity;
import org.junit.jupiter.api.Test;

/** Go strings are bytes: sops binary files that are not UTF-8 (keytabs, keystores) must decrypt unchanged. */
class BinaryValuesTest {

    private static final AgeIdentity ALICE = AgeIdentity.x25519(
            "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX", "test alice");

    @Test
    void aBinaryFileThatIsNotUtf8ComesBackByteForByteWithItsMacIntact() {
        byte[] content = {(byte) 0xff, 0, (byte) 0xc3, 0x28, 'k', 'e', 'y', (byte) 0x80};
        byte[] file = SopsFiles.binary(content, ALICE.recipient());

        DecryptedDocument doc = new SopsDecryptor(List.of(new AgeKeySource(new AgeDecryptor(List.of(ALICE)))))
                .decrypt(SopsFile.parse("krb5.keytab", file, SopsFormat.BINARY));

        assertThat(doc.render()).isEqualTo(content);
    }

    @Test
    void utf8TextStaysAString() {
        byte[] file = SopsFiles.binary("grüße\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), ALICE.recipient());

        DecryptedDocument doc = new SopsDecryptor(List.of(new AgeKeySource(new AgeDecryptor(List.of(ALICE)))))
                .decrypt(SopsFile.parse("greeting", file, SopsFormat.BINARY));

        assertThat(doc.leaves()).singleElement().extracting(SopsLeaf::type).isEqualTo("str");
        assertThat(new String(doc.render(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("grüße\n");
    }
}
