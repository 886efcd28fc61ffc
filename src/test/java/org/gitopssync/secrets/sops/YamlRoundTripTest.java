package org.gitopssync.secrets.sops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The YAML reader and emitter on their own: go-yaml v3 scalar meaning, comment placement and output style. */
class YamlRoundTripTest {

    private static List<SopsBranch> read(String yaml) {
        return new YamlTreeReader("t.yaml").read(yaml);
    }

    private static String roundTrip(String yaml) {
        return YamlEmitter.emitDocuments(read(yaml));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "yes|yes|String", "on|on|String", "true|true|Boolean", "~|null|null", "12|12|Long", "0x1F|31|Long",
        "0o17|15|Long", "0777|511|Long", "1_000|1000|Long", "08|8.0|Double", "1e3|1000.0|Double", ".5|0.5|Double",
        "-.inf|-Infinity|Double", "9223372036854775808|9223372036854775808|BigInteger", "1.2.3|1.2.3|String",
    })
    void plainScalarsResolveLikeGoYamlV3(String plain, String expected, String type) {
        Object value = YamlScalars.resolvePlain(plain);

        assertThat(value == null ? "null" : value.getClass().getSimpleName()).isEqualTo(type);
        assertThat(String.valueOf(value)).isEqualTo(expected);
    }

    @Test
    void timestampsResolveAndPrintAsGoDoes() {
        assertThat(YamlScalars.resolvePlain("2001-12-14")).isInstanceOfSatisfying(GoTime.class,
                time -> assertThat(time.rfc3339Nano()).isEqualTo("2001-12-14T00:00:00Z"));
        assertThat(YamlScalars.resolvePlain("2001-12-14t21:59:43.10-05:00")).isInstanceOfSatisfying(GoTime.class,
                time -> assertThat(time.rfc3339Nano()).isEqualTo("2001-12-14T21:59:43.1-05:00"));
        assertThat(YamlScalars.resolvePlain("2001-12-14 21:59:43")).isInstanceOf(GoTime.class);
        assertThat(YamlScalars.resolvePlain("2001-13-14")).isEqualTo("2001-13-14");
    }

    @Test
    void stringsAreQuotedOnlyWhenGoYamlWouldQuoteThem() {
        String yaml = """
                a: "yes"
                b: "123"
                c: ""
                d: ': x'
                e: '#x'
                f: ' lead'
                g: plain text
                h: "tab\\there"
                i: "emoji \\U0001F600"
                j: 'it''s'
                k: "null"
                l: "1:20"
                """;

        assertThat(roundTrip(yaml)).isEqualTo("""
                a: "yes"
                b: "123"
                c: ""
                d: ': x'
                e: '#x'
                f: ' lead'
                g: plain text
                h: "tab\\there"
                i: "emoji \\U0001F600"
                j: it's
                k: "null"
                l: "1:20"
                """);
    }

    @Test
    void blockStylesFollowYamlV3Indentation() {
        String yaml = """
                list:
                - a
                - b
                objs:
                  - name: x
                    deep:
                      k: v
                  - name: y
                empty_map: {}
                empty_list: []
                nested_lists:
                - - 1
                  - 2
                text: |
                  line one
                  line two
                keep: |+
                  trailing

                lead: "  indented\\nsecond"
                nothing:
                """;

        assertThat(roundTrip(yaml)).isEqualTo("""
                list:
                    - a
                    - b
                objs:
                    - name: x
                      deep:
                        k: v
                    - name: "y"
                empty_map: {}
                empty_list: []
                nested_lists:
                    - - 1
                      - 2
                text: |
                    line one
                    line two
                keep: |+
                    trailing

                lead: |4-
                      indented
                    second
                nothing: null
                """);
    }

    @Test
    void commentsStayWithTheirMappings() {
        String yaml = """
                # head of file
                a: 1 # inline on a
                b:
                    # first in b
                    c: 2
                    # last in b
                d:
                    - x
                    # after x
                    - y
                # end of file
                """;

        List<SopsBranch> tree = read(yaml);
        SopsBranch b = (SopsBranch) tree.get(0).find("b").orElseThrow().value();
        assertThat(tree.get(0).items().get(0)).isEqualTo(new Comment(" head of file", false));
        assertThat(tree.get(0).items().get(1)).isEqualTo(new Comment(" inline on a", true));
        assertThat(b.items()).containsExactly(new Comment(" first in b", false), new KeyValue("c", 2L),
                new Comment(" last in b", false));
        assertThat(roundTrip(yaml)).isEqualTo("""
                # head of file
                a: 1 # inline on a
                b:
                    # first in b
                    c: 2
                    # last in b
                d:
                    - x
                    # after x
                    - "y"
                # end of file
                """);
    }

    @Test
    void anchorsExpandAndDocumentsStaySeparate() {
        String yaml = "base: &b {x: 1}\ncopy: *b\n---\nsecond: doc\n";

        List<SopsBranch> tree = read(yaml);

        assertThat(tree).hasSize(2);
        assertThat(YamlEmitter.emitDocuments(tree)).isEqualTo("base:\n    x: 1\ncopy:\n    x: 1\n---\nsecond: doc\n");
    }
}
