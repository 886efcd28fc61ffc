package org.gitopssync.secrets.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gitopssync.secrets.SecretsException;
import org.junit.jupiter.api.Test;

/** The simple-form reader gives exactly the general parser's tree, or leaves the file to it. */
class PlainBlockReaderTest {

    private static final String METADATA = """
            sops:
                age:
                    - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
                      enc: |
                        -----BEGIN AGE ENCRYPTED FILE-----
                        YWdlLWVuY3J5cHRpb24ub3JnL3YxCg==
                        -----END AGE ENCRYPTED FILE-----
                lastmodified: "2025-03-04T05:06:07Z"
                mac: ENC[AES256_GCM,data:AQID,iv:AQID,tag:AQIDBA==,type:str]
                version: 3.10.2
            """;

    @Test
    void aTreeOfEncryptedValuesIsReadWithoutTheGeneralParserAndTheSame() {
        String text = """
                db:
                    password: ENC[AES256_GCM,data:zmdmsVMztDtjn4NQ,iv:P8ClLUG/5eqjpby5MRuT6e2sSpBliL7nWMr1+va4hsM=,tag:UfDrpdZKWuO8lawj46Urbw==,type:str]
                    nested:
                        deeper:
                            key-with.dots_and-dashes: ENC[AES256_GCM,data:AQID,iv:AQID,tag:AQIDBA==,type:int]
                    empty:
                    port_unencrypted: 5432
                    ratio_unencrypted: 1.5
                    on_unencrypted: true
                    yes_unencrypted: yes
                    nothing_unencrypted: null
                    when_unencrypted: 2024-01-02T03:04:05Z
                    url_unencrypted: http://example.org/a=b,c[d]
                other:
                top: ENC[AES256_GCM,data:AQID,iv:AQID,tag:AQIDBA==,type:str]
                """ + METADATA + "after: value\n";

        assertThat(PlainBlockReader.read("f.yaml", text)).isPresent();
        assertSameAsGeneralParser(text);
    }

    @Test
    void everyYamlVectorReadsTheSameEitherWay() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("src/test/resources/vectors"))) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            try {
                assertSameAsGeneralParser(text);
            } catch (SecretsException e) {
                // a vector the general parser refuses must not be accepted by the simple reader either
                assertThat(PlainBlockReader.read(file.toString(), text)).as(file.toString()).isEmpty();
            }
        }
    }

    @Test
    void anyOtherShapeIsLeftToTheGeneralParser() {
        List<String> heads = List.of(
                "# a comment\na: b\n",
                "a: b # inline\n",
                "a: \"quoted\"\n",
                "a: 'quoted'\n",
                "a:\n    - item\n",
                "a: &anchor b\nc: *anchor\n",
                "---\na: b\n",
                "a: b\n---\nc: d\n",
                "a:\tb\n",
                "a: b\r\n",
                "a: two words\n",
                "a: b:\n",
                "a: b\n  c: d\n",
                "a:\n    b: c\n  d: e\n",
                "a: b\na: c\n",
                "true: b\n",
                "a: -1\n",
                "a: {b: c}\n",
                "a: [b]\n",
                "  a: b\n",
                "a: b\n   \n",
                "a: ünïcode\n",
                "sops: b\n",
                "");
        for (String head : heads) {
            assertThat(PlainBlockReader.read("f.yaml", head + METADATA)).as(head).isEmpty();
        }
    }

    @Test
    void anErrorInTheMetadataPointsAtTheFilesOwnLine() {
        String text = "a: b\nc:\n    d: e\n" + METADATA.replace("version: 3.10.2", "mac: again");

        assertThat(PlainBlockReader.read("f.yaml", text)).isEmpty();
        assertThatThrownBy(() -> new YamlStore().load("f.yaml", text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SecretsException.class)
                .hasMessage("f.yaml: duplicate key \"mac\" at line 13");
    }

    @Test
    void aDuplicateOfAKeyAfterTheMetadataIsStillRefused() {
        String text = "a: b\n" + METADATA + "a: c\n";

        assertThat(PlainBlockReader.read("f.yaml", text)).isEmpty();
        assertThatThrownBy(() -> new YamlStore().load("f.yaml", text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SecretsException.class)
                .hasMessageContaining("duplicate key \"a\"");
    }

    private static void assertSameAsGeneralParser(String text) {
        List<SopsBranch> general = new YamlTreeReader("f.yaml").read(text);
        PlainBlockReader.read("f.yaml", text)
                .ifPresent(simple -> assertThat(simple).as(text).isEqualTo(general));
    }
}
