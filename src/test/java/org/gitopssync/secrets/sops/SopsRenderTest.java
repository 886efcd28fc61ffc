package org.gitopssync.secrets.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.gitopssync.secrets.Fixtures;
import org.gitopssync.secrets.SecretsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** render(), extract() and value() print what sops -d / sops-nix would. */
class SopsRenderTest {

    static DecryptedDocument decrypt(String file) {
        FixtureIndex fixture = FixtureIndex.of(file);
        SopsFile parsed = SopsFile.parse(file, Fixtures.bytes(file), fixture.sopsFormat());
        return new SopsDecryptor(List.of()).decryptWithDataKey(parsed, fixture.dataKey());
    }

    static String render(String file) {
        return new String(decrypt(file).render(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sops-pgp/getsops-sops/functional-tests/res/format.enc.yaml|foo: bar\\n",
        "sops-pgp/getsops-sops/functional-tests/res/format.enc.json|{\\n\\t\"foo\": \"bar\"\\n}\\n",
        "sops-pgp/getsops-sops/functional-tests/res/format.enc.env|foo = bar\\n",
        "sops-pgp/getsops-sops/functional-tests/res/format.enc.ini|[foo]\\nbar = baz\\n",
        "sops-pgp/getsops-sops/functional-tests/res/format-2.enc.ini|[foo]\\nbar = baz\\n",
        "sops-age/kustomize-controller/files/file.txt|value",
        "sops-pgp/sops-nix/secrets.bin|binary_value\\n",
        "sops-pgp/sops-nix/secrets.json|{\\n\\t\"test_key\": \"test_value\"\\n}\\n",
    })
    void sopsDecryptOutput(String file, String expected) {
        assertThat(render(file)).isEqualTo(expected.replace("\\n", "\n").replace("\\t", "\t"));
    }

    @Test
    void commentsAreDecryptedAndKept() {
        String expected = Fixtures.text("sops-pgp/getsops-sops/functional-tests/res/comments.yaml.plaintext") + "\n";

        assertThat(render("sops-pgp/getsops-sops/functional-tests/res/comments.enc.yaml")).isEqualTo(expected);
        assertThat(render("sops-pgp/getsops-sops/functional-tests/res/comments_unencrypted_comments.yaml"))
                .isEqualTo(expected);
    }

    @Test
    void nestedCommentsDecryptWithTheirMappingsPath() {
        assertThat(render("sops-pgp/getsops-sops/example.yaml"))
                .contains("        password: c4r1b0u\n        # private key for secret operations in app2\n    key: |\n"
                        + "        -----BEGIN RSA PRIVATE KEY-----\n")
                .contains("number: 1.234568e+09\n")
                .contains("somebooleans:\n    - true\n    - false\n")
                .contains("                value: with something secret in it\n"
                        + "                # sops supports unencrypted fields\n")
                .doesNotContain("ENC[");
    }

    @Test
    void dotenvKeepsCommentsAndEscapesNewlines() {
        assertThat(render("sops-pgp/sops-nix/secrets.env")).isEqualTo("""
                # This is an example file.
                hello=Welcome to SOPS! Edit this file as you please!
                example_key=example_value
                example_multiline=foo\\nbar\\nbaz
                never_gonna=give you up
                """);
    }

    @Test
    void iniAlignsKeysAndWritesSectionComments() {
        assertThat(render("sops-pgp/sops-nix/secrets.ini")).isEqualTo("""
                ; This is an example file.
                [Welcome!]
                hello       = Welcome to SOPS! Edit this file as you please!
                example_key = example_value
                never_gonna = give you up
                """);
        assertThat(render("sops-pgp/getsops-sops/example.ini"))
                .startsWith("; An example file for use with sops!\n[name]\nfirstName = John\nlastName  = Smith\n")
                .endsWith("\n\n[not private]\nnotsecret_unencrypted = hi there!\n");
    }

    @Test
    void jsonKeepsOrderEmptyObjectsAndFloats() {
        assertThat(render("sops-pgp/getsops-sops/examples/per_file/config.enc/static_github.json"))
                .contains("\t\"development\": {},\n");
        assertThat(render("sops-pgp/getsops-sops/example.json"))
                .contains("\t\"age\": 25.4,\n")
                .contains("\t\"anEmptyValue\": \"\"\n}\n");
    }

    @Test
    void extractAcceptsManifestKeysAndPlainKeysToo() {
        DecryptedDocument document = decrypt("sops-age/sops-nix/secrets.yaml");

        assertThat(document.extract("nested/test/file")).asString().isEqualTo("another value");
        assertThat(document.extract("nested")).asString().isEqualTo("test:\n    file: another value\n");
        assertThatThrownBy(() -> document.extract("missing"))
                .hasMessage("sops-age/sops-nix/secrets.yaml: component ['missing'] not found");
    }

    @Test
    void extractFollowsSopsPaths() {
        DecryptedDocument document = decrypt("sops-age/sops-nix/secrets.yaml");

        assertThat(document.extract("[\"nested\"][\"test\"][\"file\"]")).asString().isEqualTo("another value");
        assertThat(document.extract("[\"a_list\"][1]")).asString().isEqualTo("e3");
        assertThat(document.extract("['nested']")).asString().isEqualTo("test:\n    file: another value\n");
        assertThat(document.extract("[\"a_list\"]")).asString().isEqualTo("- e1\n- e3\n");
        assertThatThrownBy(() -> document.extract("[\"missing\"]"))
                .hasMessage("sops-age/sops-nix/secrets.yaml: component ['missing'] not found");
        assertThatThrownBy(() -> document.extract("[\"a_list\"][5]")).hasMessageContaining("out of bounds");
    }

    @Test
    void extractFromJsonRendersNonStringValuesAsJson() {
        DecryptedDocument document = decrypt("sops-pgp/getsops-sops/example.json");

        assertThat(document.extract("[\"age\"]")).asString().isEqualTo("25.4");
        assertThat(document.extract("[\"phoneNumbers\"][0][\"type\"]")).asString().isEqualTo("home");
        assertThat(document.extract("[\"address\"][\"state\"]")).asString().isEqualTo("NY");
    }

    @Test
    void slashKeysNameStringLeaves() {
        DecryptedDocument document = decrypt("sops-age/sops-nix/secrets.yaml");

        assertThat(document.value("test_key")).isEqualTo("test_value");
        assertThat(document.value("nested/test/file")).isEqualTo("another value");
        assertThatThrownBy(() -> document.value("a_list"))
                .isInstanceOf(SecretsException.class)
                .hasMessage("sops-age/sops-nix/secrets.yaml: the value of key 'a_list' is a list, not a string");
        assertThatThrownBy(() -> document.value("nested/test"))
                .hasMessageContaining("is a mapping, not a string");
        assertThatThrownBy(() -> document.value("nested/nope"))
                .hasMessage("sops-age/sops-nix/secrets.yaml: key 'nested/nope' not found");
    }

    @Test
    void documentsNeverPrintSecrets() {
        DecryptedDocument document = decrypt("sops-age/sops-nix/secrets.yaml");

        assertThat(document.toString()).doesNotContain("test_value");
        assertThat(document.leaves().toString()).doesNotContain("test_value").contains("test_key:");
    }
}
