package org.gitopssync.secrets.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.gitopssync.secrets.Fixtures;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.secrets.age.AgeDecryptor;
import org.gitopssync.secrets.age.AgeIdentities;
import org.junit.jupiter.api.Test;

/** Tampered, unopenable and malformed files fail with messages that name the file and the key path. */
class SopsNegativeTest {

    private static final String SOPS_NIX = "sops-age/sops-nix/secrets.yaml";

    private static SopsDecryptor ageDecryptor(String keyFile) {
        return new SopsDecryptor(List.of(new AgeKeySource(
                new AgeDecryptor(AgeIdentities.readIdentityFile(Fixtures.path(keyFile))))));
    }

    private static SopsFile sopsNixWith(String original, String replacement) {
        String text = Fixtures.text(SOPS_NIX);
        assertThat(text).contains(original);
        return SopsFile.parse("secrets.yaml", text.replace(original, replacement).getBytes(StandardCharsets.UTF_8),
                SopsFormat.YAML);
    }

    @Test
    void untouchedFileOpens() {
        assertThat(ageDecryptor("keys/age/sops-nix.agekey").decrypt(sopsNixWith("test_key", "test_key"))
                .value("test_key")).isEqualTo("test_value");
    }

    @Test
    void missingMacIsAnErrorUnlessIgnored() {
        FixtureIndex fixture = FixtureIndex.of("sops-pgp/getsops-sops/functional-tests/res/no_mac.yaml");
        SopsFile file = SopsFile.parse("no_mac.yaml", Fixtures.bytes(fixture.file()), SopsFormat.YAML);

        assertThatThrownBy(() -> new SopsDecryptor(List.of()).decryptWithDataKey(file, fixture.dataKey()))
                .isInstanceOf(SecretsException.class)
                .hasMessage("no_mac.yaml: no MAC in sops metadata (use --ignore-mac to skip the check)");
        assertThat(new SopsDecryptor(List.of()).ignoringMac().decryptWithDataKey(file, fixture.dataKey())
                .value("myapp1")).isEqualTo("t00m4nys3cr3tzupdated");
    }

    @Test
    void flippedByteInAValueFailsAuthentication() {
        SopsFile file = sopsNixWith("data:2mP+IAdczoEr0g==", "data:3mP+IAdczoEr0g==");

        assertThatThrownBy(() -> ageDecryptor("keys/age/sops-nix.agekey").decrypt(file))
                .isInstanceOf(SecretsException.class)
                .hasMessage("secrets.yaml: value at test_key: authentication failed (tampered or wrong key)");
    }

    @Test
    void flippedByteInTheMacIsAMismatch() {
        SopsFile file = sopsNixWith("mac: ENC[AES256_GCM,data:WQjp", "mac: ENC[AES256_GCM,data:XQjp");

        assertThatThrownBy(() -> ageDecryptor("keys/age/sops-nix.agekey").decrypt(file))
                .hasMessageStartingWith("secrets.yaml: MAC mismatch");
    }

    @Test
    void changedLastModifiedIsAMismatch() {
        SopsFile file = sopsNixWith("lastmodified: \"2021-09-30T19:49:41Z\"", "lastmodified: \"2021-09-30T19:49:42Z\"");

        assertThatThrownBy(() -> ageDecryptor("keys/age/sops-nix.agekey").decrypt(file))
                .hasMessageStartingWith("secrets.yaml: MAC mismatch");
    }

    @Test
    void changedPlainValueIsAMismatch() {
        String text = Fixtures.text("sops-age/kustomize-controller/algorithms/age.yaml").replace("name: age", "name: agf");
        SopsFile file = SopsFile.parse("age.yaml", text.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML);

        assertThatThrownBy(() -> ageDecryptor("keys/age/kustomize-controller.agekey").decrypt(file))
                .hasMessage("age.yaml: MAC mismatch (the file's values were modified)");
    }

    @Test
    void wrongKeyNamesWhatWasTriedAndSkipped() {
        SopsFile file = SopsFile.parse(Fixtures.path(SOPS_NIX));

        assertThatThrownBy(() -> ageDecryptor("keys/age/kustomize-controller.agekey").decrypt(file))
                .isInstanceOf(SecretsException.class)
                .hasMessageStartingWith("no key opened " + Fixtures.path(SOPS_NIX) + ": tried ")
                .hasMessageContaining("age age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw (no matching identity)")
                .hasMessageContaining("age age1a8pk4akrdamj7nvqy3zywgtny8dxz7t5xzu7u8v9mhrayp9freqsqatyrs (no matching identity)")
                .hasMessageContaining("skipped pgp 7FB89715AADA920D65D25E63F9BA9DEBD03F57C0, pgp 2504791468B153B8A3963CC97BA53D1919C5DFD4");
    }

    @Test
    void pgpOnlyFileNamesTheFingerprints() {
        SopsFile file = SopsFile.parse(Fixtures.path("sops-pgp/getsops-sops/functional-tests/res/multiple_keys.yaml"));

        assertThatThrownBy(() -> ageDecryptor("keys/age/sops-nix.agekey").decrypt(file))
                .hasMessageContaining("skipped pgp FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4, pgp D7229043384BCC60326C6FB9D8720D957C3D3074");
    }

    @Test
    void postQuantumRecipientIsNamedAsUnsupported() {
        SopsFile file = SopsFile.parse(Fixtures.path("sops-age/kustomize-controller/algorithms/age-pq.yaml"));

        assertThatThrownBy(() -> ageDecryptor("keys/age/kustomize-controller.agekey").decrypt(file))
                .isInstanceOf(SecretsException.class)
                .hasMessageContaining("age-pq.yaml: skipped age age1pq1ehusfwsvrente8p6g")
                .hasMessageContaining("post-quantum ML-KEM recipient, not supported");
    }

    @Test
    void malformedEncValueNamesItsPath() {
        SopsFile file = sopsNixWith("file: ENC[AES256_GCM,data:9YhsaXoxxdbLUzeWqA==,iv:", "file: ENC[AES256_GCM,dta:9YhsaXoxxdbLUzeWqA==,iv:");

        assertThatThrownBy(() -> ageDecryptor("keys/age/sops-nix.agekey").decrypt(file))
                .hasMessage("secrets.yaml: malformed ENC[...] value at nested:test:file: "
                        + "not of the form ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]");
    }

    @Test
    void plainValueWhereSopsEncryptsIsAnError() {
        SopsFile file = sopsNixWith("test_key: ENC[AES256_GCM,data:2mP+IAdczoEr0g==,iv:voX4IQemcgt0O97oLExy5r2V85nn687cIyWmHNDhUag=,tag:R97qy4fKneU7D9UFhXNvgA==,type:str]",
                "test_key: leaked-plaintext");

        assertThatThrownBy(() -> ageDecryptor("keys/age/sops-nix.agekey").decrypt(file))
                .hasMessage("secrets.yaml: malformed ENC[...] value at test_key: "
                        + "not of the form ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]")
                .hasMessageNotContaining("leaked-plaintext");
    }

    @Test
    void aesUnitVectorFromSopsCipherTest() throws Exception {
        ValueCipher cipher = new ValueCipher("f".repeat(32).getBytes(StandardCharsets.US_ASCII));
        String value = "ENC[AES256_GCM,data:oYyi,iv:MyIDYbT718JRr11QtBkcj3Dwm4k1aCGZBVeZf0EyV8o=,tag:t5z2Z023Up0kxwCgw1gNxg==,type:str]";

        assertThat(cipher.decrypt(value, "bar:")).isEqualTo("foo");
        assertThatThrownBy(() -> cipher.decrypt(value, "")).isInstanceOf(ValueCipher.Failure.class)
                .hasMessageContaining("authentication failed");
    }

    @Test
    void macSanityValueOnly() throws Exception {
        FixtureIndex fixture = FixtureIndex.of("sops-age/kustomize-controller/envs/env.env");
        assertThat(fixture.mac()).startsWith("EC2C83ED").endsWith("97527296");
        assertThat(SopsRenderTest.decrypt("sops-age/kustomize-controller/envs/env.env").computedMac()).isEqualTo(fixture.mac());
    }

    @Test
    void fileWithoutMetadataIsNotASopsFile() {
        assertThatThrownBy(() -> SopsFile.parse("plain.yaml", "a: b\n".getBytes(StandardCharsets.UTF_8), SopsFormat.YAML))
                .hasMessage("plain.yaml: no sops metadata found (not a sops-encrypted file?)");
    }

    @Test
    void duplicateYamlKeysAreRejected() {
        SopsFile ignored = SopsFile.parse(Fixtures.path(SOPS_NIX));
        String text = "a: 1\nb: 2\na: 3\n" + Fixtures.text(SOPS_NIX).substring(Fixtures.text(SOPS_NIX).indexOf("sops:"));

        assertThat(ignored.masterKeys()).hasSize(4);
        assertThatThrownBy(() -> SopsFile.parse("dup.yaml", text.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML))
                .hasMessage("dup.yaml: duplicate key \"a\" at line 3");
    }

    @Test
    void invalidYamlReportsThePosition() {
        assertThatThrownBy(() -> SopsFile.parse("bad.yaml", "a: [1, 2\nb: c\n".getBytes(StandardCharsets.UTF_8), SopsFormat.YAML))
                .hasMessageStartingWith("bad.yaml: invalid YAML at line");
    }

    private static SopsFile parseText(String name, String text, SopsFormat format) {
        return SopsFile.parse(name, text.getBytes(StandardCharsets.UTF_8), format);
    }

    @Test
    void deeplyNestedYamlIsRefusedNamingFileAndDepth() {
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            deep.append(" ".repeat(i)).append("k:\n");
        }
        assertThatThrownBy(() -> parseText("deep.yaml", deep.toString(), SopsFormat.YAML))
                .isInstanceOf(SecretsException.class)
                .hasMessageStartingWith("deep.yaml: nested deeper than 100 levels at line 101")
                .hasMessageContaining("sops files hold a few secrets");
        assertThatThrownBy(() -> parseText("flow.yaml", "a: " + "[".repeat(3000) + "]".repeat(3000), SopsFormat.YAML))
                .isInstanceOf(SecretsException.class)
                .hasMessageStartingWith("flow.yaml: nested deeper than 100 levels at line 1");
    }

    @Test
    void nestedOpenBracketsAreRefusedQuicklyAndLargeFilesBeforeParsing() {
        // 400 KB of "[" took over 20 s of quadratic scanning before depth was bounded while scanning.
        assertThatThrownBy(() -> parseText("brackets.yaml", "[".repeat(400_000), SopsFormat.YAML))
                .hasMessageStartingWith("brackets.yaml: nested deeper than 100 levels");
        assertThatThrownBy(() -> parseText("big.yaml", "a: b\n".repeat(1_000_000), SopsFormat.YAML))
                .isInstanceOf(SecretsException.class)
                .hasMessage("big.yaml: 5000000 bytes, larger than the 4 MiB a sops file may be"
                        + " (sops files hold a few secrets; this limit keeps hostile files from exhausting the agent)");
    }

    @Test
    void aliasesCannotMultiplyATreePastTheBound() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 9; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }
        assertThatThrownBy(() -> parseText("laughs.yaml", yaml.toString(), SopsFormat.YAML))
                .isInstanceOf(SecretsException.class)
                .hasMessageStartingWith("laughs.yaml: more than 1000000 values once aliases are expanded");
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutAnInternalError() {
        for (int depth : new int[] {150, 1001, 3000}) {
            assertThatThrownBy(() -> parseText("deep.json", "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}",
                    SopsFormat.JSON))
                    .isInstanceOf(SecretsException.class)
                    .hasMessageStartingWith("deep.json: nested deeper than 100 levels");
        }
    }

    @Test
    void controlCharacterInYamlNamesLineColumnAndCharacter() {
        assertThatThrownBy(() -> parseText("ctl.yaml", "a: b\nkey: va\u0000lue\n", SopsFormat.YAML))
                .isInstanceOf(SecretsException.class)
                .hasMessage("ctl.yaml: invalid YAML at line 2, column 8: character U+0000 is not allowed in YAML"
                        + " (control characters and NUL must be quoted escapes)");
    }

    @Test
    void tamperedEncryptedCommentIsRefused() {
        byte[] dataKey = new byte[32];
        String text = new String(new SopsTestWriter(dataKey).comment("", "rotate yearly", true).put("a", "b", true)
                .keyGroup(SopsTestWriter.other("kms", Map.of("arn", "arn:aws:kms:eu-west-1:1:key/x",
                        "enc", "AQID", "created_at", "2025-01-01T00:00:00Z"))).toYaml(), StandardCharsets.UTF_8);
        int at = text.indexOf("#ENC[AES256_GCM,data:") + "#ENC[AES256_GCM,data:".length();
        char flipped = text.charAt(at) == 'A' ? 'B' : 'A';
        String tampered = text.substring(0, at) + flipped + text.substring(at + 1);
        SopsFile file = parseText("c.yaml", tampered, SopsFormat.YAML);

        assertThatThrownBy(() -> new SopsDecryptor(List.of()).decryptWithDataKey(file, dataKey))
                .isInstanceOf(SecretsException.class)
                .hasMessage("c.yaml: encrypted comment at the top level does not decrypt:"
                        + " authentication failed (tampered or wrong key)")
                .hasMessageNotContaining("ENC[AES256_GCM");
        SopsFile clean = parseText("c.yaml", text, SopsFormat.YAML);
        assertThat(new String(new SopsDecryptor(List.of()).decryptWithDataKey(clean, dataKey).render(),
                StandardCharsets.UTF_8)).contains("#rotate yearly");
    }

    @Test
    void malformedEncValueSaysWhatIsMalformed() {
        SopsFile file = sopsNixWith("file: ENC[AES256_GCM,data:9YhsaXoxxdbLUzeWqA==,iv:",
                "file: ENC[AES256_GCM,data:9Yhs*XoxxdbLUzeWqA==,iv:");

        assertThatThrownBy(() -> ageDecryptor("keys/age/sops-nix.agekey").decrypt(file))
                .hasMessage("secrets.yaml: malformed ENC[...] value at nested:test:file: its data is not valid base64");
    }

    @Test
    void wronglyTypedMetadataIsRefusedNotIgnored() {
        assertThatThrownBy(() -> sopsNixWith("    unencrypted_suffix: _unencrypted", "    unencrypted_suffix: true"))
                .isInstanceOf(SecretsException.class)
                .hasMessage("secrets.yaml: sops metadata: unencrypted_suffix must be a string, got a bool value");
        assertThatThrownBy(() -> sopsNixWith("    lastmodified:", "    key_groups: \"yesterday\"\n    lastmodified:"))
                .isInstanceOf(SecretsException.class)
                .hasMessage("secrets.yaml: sops metadata: key_groups must be a list");
        assertThatThrownBy(() -> sopsNixWith("    lastmodified:", "    mac_only_encrypted: [1]\n    lastmodified:"))
                .hasMessage("secrets.yaml: sops metadata: mac_only_encrypted must be true or false, got a list");
        assertThatThrownBy(() -> sopsNixWith("    lastmodified:", "    shamir_threshold: 1.5\n    lastmodified:"))
                .hasMessage("secrets.yaml: sops metadata: shamir_threshold must be an integer, got a float value");
    }
}
