package org.gitopssync.secrets.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gitopssync.secrets.sops.SopsTestWriter.Typed.bool;
import static org.gitopssync.secrets.sops.SopsTestWriter.Typed.decimal;
import static org.gitopssync.secrets.sops.SopsTestWriter.Typed.integer;
import static org.gitopssync.secrets.sops.SopsTestWriter.Typed.str;
import static org.gitopssync.secrets.sops.SopsTestWriter.Typed.time;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.secrets.age.AgeDecryptor;
import org.gitopssync.secrets.age.AgeIdentity;
import org.junit.jupiter.api.Test;

/** Files written by the test-only sops encryptor: Shamir key groups, every crypt rule, value types, documents. */
class SopsKeyGroupsAndRulesTest {

    private static final AgeIdentity ALICE = AgeIdentity.x25519(
            "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX", "test alice");
    private static final AgeIdentity BOB = AgeIdentity.x25519(
            "AGE-SECRET-KEY-1G0Q5K9TV4REQ3ZSQRMTMG8NSWQGYT0T7TZ33RAZEE0GZYVZN0APSU24RK7", "test bob");
    private static final AgeIdentity CAROL = AgeIdentity.x25519(
            "AGE-SECRET-KEY-1NJT5YCS2LWU4V4QAJQ6R4JNU7LXPDX602DZ9NUFANVU5GDTGUWCQ5T59M6", "test carol");

    private final byte[] dataKey = randomKey();

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static SopsDecryptor with(AgeIdentity... identities) {
        return new SopsDecryptor(List.of(new AgeKeySource(new AgeDecryptor(List.of(identities)))));
    }

    private static SopsFile parse(byte[] yaml) {
        return SopsFile.parse("test.yaml", yaml, SopsFormat.YAML);
    }

    private static String render(DecryptedDocument document) {
        return new String(document.render(), StandardCharsets.UTF_8);
    }

    private SopsTestWriter writer() {
        return new SopsTestWriter(dataKey).keyGroup(SopsTestWriter.age(ALICE.recipient()));
    }

    @Test
    void twoOfTwoShamirGroupsNeedBothKeys() {
        byte[] yaml = new SopsTestWriter(dataKey)
                .put("db/password", "hunter2", true)
                .keyGroup(SopsTestWriter.age(ALICE.recipient()))
                .keyGroup(SopsTestWriter.age(BOB.recipient()))
                .shamirThreshold(2)
                .toYaml();

        assertThat(with(ALICE, BOB).decrypt(parse(yaml)).value("db/password")).isEqualTo("hunter2");
        assertThatThrownBy(() -> with(ALICE).decrypt(parse(yaml)))
                .isInstanceOf(SecretsException.class)
                .hasMessageStartingWith("no key opened test.yaml: 1 of 2 required key groups opened (shamir_threshold 2); "
                        + "group 2: tried age " + BOB.recipient() + " (no matching identity)")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void twoOfThreeShamirGroupsOpenWithAnyTwo() {
        byte[] yaml = new SopsTestWriter(dataKey)
                .put("token", "t0ken", true)
                .keyGroup(SopsTestWriter.age(ALICE.recipient()))
                .keyGroup(SopsTestWriter.age(BOB.recipient()))
                .keyGroup(SopsTestWriter.age(CAROL.recipient()))
                .shamirThreshold(2)
                .toYaml();

        assertThat(with(BOB, CAROL).decrypt(parse(yaml)).value("token")).isEqualTo("t0ken");
        assertThat(with(ALICE, CAROL).decrypt(parse(yaml)).value("token")).isEqualTo("t0ken");
        assertThatThrownBy(() -> with(CAROL).decrypt(parse(yaml))).hasMessageContaining("1 of 2 required key groups");
    }

    @Test
    void groupWithAnUnsupportedKeyStillOpensThroughAnother() {
        byte[] yaml = new SopsTestWriter(dataKey)
                .put("a", "b", true)
                .keyGroup(SopsTestWriter.other("kms", Map.of("arn", "arn:aws:kms:eu-west-1:1:key/x", "enc", "AQID",
                        "created_at", "2025-01-01T00:00:00Z")), SopsTestWriter.age(ALICE.recipient()))
                .toYaml();

        assertThat(with(ALICE).decrypt(parse(yaml)).value("a")).isEqualTo("b");
        assertThatThrownBy(() -> with(BOB).decrypt(parse(yaml)))
                .hasMessage("no key opened test.yaml: tried age " + ALICE.recipient()
                        + " (no matching identity); skipped kms arn:aws:kms:eu-west-1:1:key/x (no supported key source)");
    }

    @Test
    void encryptedSuffixEncryptsMatchingSubtrees() {
        byte[] yaml = writer().rule("encrypted_suffix", "_secret")
                .put("user", "admin", false)
                .put("password_secret", "pw", true)
                .put("db_secret/user", "root", true)
                .put("db/token_secret", "tk", true)
                .toYaml();

        DecryptedDocument document = with(ALICE).decrypt(parse(yaml));

        assertThat(document.leaves()).extracting(SopsLeaf::path, SopsLeaf::encrypted).containsExactly(
                org.assertj.core.groups.Tuple.tuple("user:", false),
                org.assertj.core.groups.Tuple.tuple("password_secret:", true),
                org.assertj.core.groups.Tuple.tuple("db_secret:user:", true),
                org.assertj.core.groups.Tuple.tuple("db:token_secret:", true));
        assertThat(document.value("db_secret/user")).isEqualTo("root");
    }

    @Test
    void unencryptedRegexUsesFindSemantics() {
        byte[] yaml = writer().rule("unencrypted_regex", "^(public|meta)")
                .put("public_key", "pk", false)
                .put("metadata/name", "nm", false)
                .put("private", "secret", true)
                .put("not_public", "np", true)
                .toYaml();

        assertThat(render(with(ALICE).decrypt(parse(yaml))))
                .isEqualTo("public_key: pk\nmetadata:\n    name: nm\nprivate: secret\nnot_public: np\n");
    }

    @Test
    void encryptedRegexMatchesAnywhereInAKey() {
        byte[] yaml = writer().rule("encrypted_regex", "pass")
                .put("db/user", "admin", false)
                .put("db/password", "pw", true)
                .put("passwords/list", List.of(str("a"), str("b")), true)
                .toYaml();

        DecryptedDocument document = with(ALICE).decrypt(parse(yaml));

        assertThat(document.value("db/password")).isEqualTo("pw");
        assertThat(document.extract("[\"passwords\"][\"list\"][1]")).asString().isEqualTo("b");
    }

    @Test
    void unencryptedCommentRegexLeavesTheNextValueAndTheMarkerInClear() {
        byte[] yaml = writer().rule("unencrypted_comment_regex", "sops:plain")
                .comment("", " sops:plain", false)
                .put("visible", "v", false)
                .comment("", " an ordinary comment", true)
                .put("hidden", "h", true)
                .toYaml();

        assertThat(new String(yaml, StandardCharsets.UTF_8)).contains("visible: v\n").doesNotContain("ordinary");
        assertThat(render(with(ALICE).decrypt(parse(yaml))))
                .isEqualTo("# sops:plain\nvisible: v\n# an ordinary comment\nhidden: h\n");
    }

    @Test
    void encryptedCommentRegexEncryptsOnlyTheMarkedValue() {
        byte[] yaml = writer().rule("encrypted_comment_regex", "sops:enc")
                .put("plain", "p", false)
                .comment("", " sops:enc", false)
                .put("secret", "s", true)
                .comment("", " just a note", false)
                .put("other", "o", false)
                .toYaml();

        DecryptedDocument document = with(ALICE).decrypt(parse(yaml));

        assertThat(document.leaves()).extracting(SopsLeaf::path, SopsLeaf::encrypted).containsExactly(
                org.assertj.core.groups.Tuple.tuple("plain:", false),
                org.assertj.core.groups.Tuple.tuple("secret:", true),
                org.assertj.core.groups.Tuple.tuple("other:", false));
        assertThat(render(document)).isEqualTo("plain: p\n# sops:enc\nsecret: s\n# just a note\nother: o\n");
    }

    @Test
    void macOnlyEncryptedIgnoresChangesToPlainValues() {
        String yaml = new String(writer().rule("encrypted_regex", "^secret").macOnlyEncrypted()
                .put("secret", "s", true)
                .put("public", "p", false)
                .toYaml(), StandardCharsets.UTF_8);

        DecryptedDocument changed = with(ALICE).decrypt(parse(yaml.replace("public: p", "public: q")
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(changed.value("public")).isEqualTo("q");
        assertThat(changed.leaves()).extracting(SopsLeaf::path, SopsLeaf::inMac).containsExactly(
                org.assertj.core.groups.Tuple.tuple("secret:", true), org.assertj.core.groups.Tuple.tuple("public:", false));
        assertThatThrownBy(() -> with(ALICE).decrypt(parse(yaml.replace("mac_only_encrypted: true", "")
                .getBytes(StandardCharsets.UTF_8)))).hasMessageContaining("MAC mismatch");
    }

    @Test
    void everyValueTypeDecryptsAndRenders() {
        byte[] yaml = writer()
                .put("count", integer(42), true)
                .put("ratio", decimal("1.5"), true)
                .put("enabled", bool(true), true)
                .put("since", time("2024-01-02T03:04:05Z"), true)
                .put("empty", "", false)
                .put("port_unencrypted", new SopsTestWriter.Typed("int", "0x10", "16"), false)
                .put("answer_unencrypted", new SopsTestWriter.Typed("str", "yes", "yes"), false)
                .put("big_unencrypted", new SopsTestWriter.Typed("float", "1e3", "1000"), false)
                .toYaml();

        DecryptedDocument document = with(ALICE).decrypt(parse(yaml));

        assertThat(document.leaves()).extracting(SopsLeaf::path, SopsLeaf::type, SopsLeaf::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("count:", "int", "42"),
                org.assertj.core.groups.Tuple.tuple("ratio:", "float", "1.5"),
                org.assertj.core.groups.Tuple.tuple("enabled:", "bool", "True"),
                org.assertj.core.groups.Tuple.tuple("since:", "time", "2024-01-02T03:04:05Z"),
                org.assertj.core.groups.Tuple.tuple("empty:", "str", ""),
                org.assertj.core.groups.Tuple.tuple("port_unencrypted:", "int", "16"),
                org.assertj.core.groups.Tuple.tuple("answer_unencrypted:", "str", "yes"),
                org.assertj.core.groups.Tuple.tuple("big_unencrypted:", "float", "1000"));
        assertThat(render(document)).isEqualTo("count: 42\nratio: 1.5\nenabled: true\nsince: 2024-01-02T03:04:05Z\n"
                + "empty: \"\"\nport_unencrypted: 16\nanswer_unencrypted: \"yes\"\nbig_unencrypted: 1000\n");
        assertThatThrownBy(() -> document.value("count")).hasMessageContaining("is a int, not a string");
    }

    @Test
    void multipleDocumentsShareOneMac() {
        String yaml = new String(writer()
                .put("first", "1", true)
                .newDocument()
                .put("second", "two", true)
                .toYaml(), StandardCharsets.UTF_8);

        DecryptedDocument document = with(ALICE).decrypt(parse(yaml.getBytes(StandardCharsets.UTF_8)));

        assertThat(render(document)).isEqualTo("first: \"1\"\n---\nsecond: two\n");
        assertThat(document.leaves()).extracting(SopsLeaf::path).containsExactly("first:", "second:");
        String withoutSecond = yaml.replaceFirst("second: ENC\\[[^\\]]*\\]", "second: \"\"");
        assertThat(withoutSecond).isNotEqualTo(yaml);
        assertThatThrownBy(() -> with(ALICE).decrypt(parse(withoutSecond.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("MAC mismatch");
    }

    @Test
    void moreThanOneCryptRuleIsRejected() {
        String yaml = new String(writer().rule("encrypted_regex", "x").put("x", "y", true).toYaml(), StandardCharsets.UTF_8)
                .replace("    version:", "    unencrypted_suffix: _plain\n    version:");

        assertThatThrownBy(() -> parse(yaml.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("test.yaml: sops metadata: more than one of");
    }
}
