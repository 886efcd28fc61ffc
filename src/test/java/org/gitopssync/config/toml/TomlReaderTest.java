package org.gitopssync.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The TOML 1.0 reader: every kind of value and table, and the documents the specification calls invalid. */
class TomlReaderTest {

    private static TomlTable parse(String text) throws TomlParseException {
        return Toml.parse(text);
    }

    private static TomlTable table(TomlTable t, String... path) {
        TomlTable out = t;
        for (String key : path) {
            out = (TomlTable) out.get(key);
        }
        return out;
    }

    @Test
    void commentsAndBlankLinesAreIgnored() throws TomlParseException {
        TomlTable t = parse("""
                # This is a full-line comment
                key = "value"  # This is a comment at the end of a line
                another = "# This is not a comment"

                \t# indented comment
                """);

        assertThat(t.keySet()).containsExactly("key", "another");
        assertThat(t.get("another")).isEqualTo("# This is not a comment");
    }

    @Test
    void bareQuotedAndDottedKeys() throws TomlParseException {
        TomlTable t = parse("""
                bare_key = 1
                bare-key = 2
                1234 = 3
                "127.0.0.1" = 4
                "character encoding" = 5
                "ʎǝʞ" = 6
                'key2' = 7
                'quoted "value"' = 8
                "" = 9
                physical.color = "orange"
                physical . shape = "round"
                site."google.com" = true
                3.14159 = "pi"
                """);

        assertThat(t.get("bare_key")).isEqualTo(1L);
        assertThat(t.get("bare-key")).isEqualTo(2L);
        assertThat(t.get("1234")).isEqualTo(3L);
        assertThat(t.get("127.0.0.1")).isEqualTo(4L);
        assertThat(t.get("character encoding")).isEqualTo(5L);
        assertThat(t.get("ʎǝʞ")).isEqualTo(6L);
        assertThat(t.get("key2")).isEqualTo(7L);
        assertThat(t.get("quoted \"value\"")).isEqualTo(8L);
        assertThat(t.get("")).isEqualTo(9L);
        assertThat(table(t, "physical").keySet()).containsExactly("color", "shape");
        assertThat(table(t, "site").get("google.com")).isEqualTo(true);
        assertThat(table(t, "3").get("14159")).isEqualTo("pi");
    }

    @Test
    void dottedKeysMayDefineSiblingTablesOutOfOrder() throws TomlParseException {
        TomlTable t = parse("""
                apple.type = "fruit"
                orange.type = "fruit"
                apple.skin = "thin"
                orange.skin = "thick"
                """);

        assertThat(table(t, "apple").keySet()).containsExactly("type", "skin");
        assertThat(table(t, "orange").get("skin")).isEqualTo("thick");
    }

    @Test
    void basicStringsHaveEscapes() throws TomlParseException {
        TomlTable t = parse("""
                str = "I'm a string. \\"You can quote me\\". Name\\tJos\\u00E9\\nLocation\\tSF."
                all = "\\b\\t\\n\\f\\r\\"\\\\"
                emoji = "\\U0001F600"
                tab = "a\tb"
                """);

        assertThat(t.get("str")).isEqualTo("I'm a string. \"You can quote me\". Name\tJos\u00E9\nLocation\tSF.");
        assertThat(t.get("all")).isEqualTo("\b\t\n\f\r\"\\");
        assertThat(t.get("emoji")).isEqualTo("\uD83D\uDE00");
        assertThat(t.get("tab")).isEqualTo("a\tb");
    }

    @Test
    void multiLineBasicStrings() throws TomlParseException {
        TomlTable t = parse("""
                str1 = \"\"\"
                Roses are red
                Violets are blue\"\"\"
                str2 = \"\"\"
                The quick brown \\


                  fox jumps over \\
                    the lazy dog.\"\"\"
                str3 = \"\"\"\\
                       The quick brown \\
                       fox jumps over \\
                       the lazy dog.\\
                       \"\"\"
                str4 = \"\"\"Here are two quotation marks: "". Simple enough.\"\"\"
                str5 = \"\"\"Here are three quotation marks: ""\\".\"\"\"
                str7 = \"\"\""This," she said, "is just a pointless statement.\"\"\"\"
                trailing = \"\"\"ends with two quotes""\"\"\"
                """);

        assertThat(t.get("str1")).isEqualTo("Roses are red\nViolets are blue");
        assertThat(t.get("str2")).isEqualTo("The quick brown fox jumps over the lazy dog.");
        assertThat(t.get("str3")).isEqualTo("The quick brown fox jumps over the lazy dog.");
        assertThat(t.get("str4")).isEqualTo("Here are two quotation marks: \"\". Simple enough.");
        assertThat(t.get("str5")).isEqualTo("Here are three quotation marks: \"\"\".");
        assertThat(parse("str6 = \"\"\"Here are fifteen quotation marks: \"\"\\\"\"\"\\\"\"\"\\\"\"\"\\\"\"\"\\\".\"\"\"")
                .get("str6")).isEqualTo("Here are fifteen quotation marks: " + "\"".repeat(15) + ".");
        assertThat(t.get("str7")).isEqualTo("\"This,\" she said, \"is just a pointless statement.\"");
        assertThat(t.get("trailing")).isEqualTo("ends with two quotes\"\"");
    }

    @Test
    void literalStrings() throws TomlParseException {
        TomlTable t = parse("""
                winpath  = 'C:\\Users\\nodejs\\templates'
                winpath2 = '\\\\ServerX\\admin$\\system32\\'
                quoted   = 'Tom "Dubs" Preston-Werner'
                regex    = '<\\i\\c*\\s*>'
                regex2 = '''I [dw]on't need \\d{2} apples'''
                lines  = '''
                The first newline is
                trimmed in raw strings.
                   All other whitespace
                   is preserved.
                '''
                quot15 = '''Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''
                apos15 = "Here are fifteen apostrophes: '''''''''''''''"
                str = ''''That,' she said, 'is still pointless.''''
                """);

        assertThat(t.get("winpath")).isEqualTo("C:\\Users\\nodejs\\templates");
        assertThat(t.get("winpath2")).isEqualTo("\\\\ServerX\\admin$\\system32\\");
        assertThat(t.get("quoted")).isEqualTo("Tom \"Dubs\" Preston-Werner");
        assertThat(t.get("regex")).isEqualTo("<\\i\\c*\\s*>");
        assertThat(t.get("regex2")).isEqualTo("I [dw]on't need \\d{2} apples");
        assertThat(t.get("lines")).isEqualTo("The first newline is\ntrimmed in raw strings.\n   All other whitespace\n"
                + "   is preserved.\n");
        assertThat(t.get("quot15")).isEqualTo("Here are fifteen quotation marks: " + "\"".repeat(15));
        assertThat(t.get("apos15")).isEqualTo("Here are fifteen apostrophes: " + "'".repeat(15));
        assertThat(t.get("str")).isEqualTo("'That,' she said, 'is still pointless.'");
    }

    @Test
    void integersInEveryBase() throws TomlParseException {
        TomlTable t = parse("""
                int1 = +99
                int2 = 42
                int3 = 0
                int4 = -17
                int5 = 1_000
                int6 = 5_349_221
                int7 = 53_49_221
                int8 = 1_2_3_4_5
                zero = -0
                hex1 = 0xDEADBEEF
                hex2 = 0xdeadbeef
                hex3 = 0xdead_beef
                oct1 = 0o01234567
                oct2 = 0o755
                bin1 = 0b11010110
                max = 9223372036854775807
                min = -9223372036854775808
                hexmax = 0x7FFFFFFFFFFFFFFF
                """);

        assertThat(List.of("int1", "int2", "int3", "int4", "int5", "int6", "int7", "int8", "zero").stream().map(t::get))
                .containsExactly(99L, 42L, 0L, -17L, 1000L, 5349221L, 5349221L, 12345L, 0L);
        assertThat(t.get("hex1")).isEqualTo(0xDEADBEEFL);
        assertThat(t.get("hex2")).isEqualTo(0xDEADBEEFL);
        assertThat(t.get("hex3")).isEqualTo(0xDEADBEEFL);
        assertThat(t.get("oct1")).isEqualTo(01234567L);
        assertThat(t.get("oct2")).isEqualTo(0755L);
        assertThat(t.get("bin1")).isEqualTo(0b11010110L);
        assertThat(t.get("max")).isEqualTo(Long.MAX_VALUE);
        assertThat(t.get("min")).isEqualTo(Long.MIN_VALUE);
        assertThat(t.get("hexmax")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void floatsWithFractionsExponentsAndSpecialValues() throws TomlParseException {
        TomlTable t = parse("""
                flt1 = +1.0
                flt2 = 3.1415
                flt3 = -0.01
                flt4 = 5e+22
                flt5 = 1e06
                flt6 = -2E-2
                flt7 = 6.626e-34
                flt8 = 224_617.445_991_228
                flt9 = -0.0
                flt10 = 1e1_0
                sf1 = inf
                sf2 = +inf
                sf3 = -inf
                sf4 = nan
                sf5 = +nan
                sf6 = -nan
                """);

        assertThat(t.get("flt1")).isEqualTo(1.0);
        assertThat(t.get("flt2")).isEqualTo(3.1415);
        assertThat(t.get("flt3")).isEqualTo(-0.01);
        assertThat(t.get("flt4")).isEqualTo(5e22);
        assertThat(t.get("flt5")).isEqualTo(1e6);
        assertThat(t.get("flt6")).isEqualTo(-2e-2);
        assertThat(t.get("flt7")).isEqualTo(6.626e-34);
        assertThat(t.get("flt8")).isEqualTo(224617.445991228);
        assertThat(t.get("flt9")).isEqualTo(-0.0);
        assertThat(t.get("flt10")).isEqualTo(1e10);
        assertThat(t.get("sf1")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(t.get("sf2")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(t.get("sf3")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat((Double) t.get("sf4")).isNaN();
        assertThat((Double) t.get("sf5")).isNaN();
        assertThat((Double) t.get("sf6")).isNaN();
    }

    @Test
    void booleans() throws TomlParseException {
        TomlTable t = parse("bool1 = true\nbool2 = false\n");

        assertThat(t.get("bool1")).isEqualTo(Boolean.TRUE);
        assertThat(t.get("bool2")).isEqualTo(Boolean.FALSE);
    }

    @Test
    void datesAndTimesOfEveryKind() throws TomlParseException {
        TomlTable t = parse("""
                odt1 = 1979-05-27T07:32:00Z
                odt2 = 1979-05-27T00:32:00-07:00
                odt3 = 1979-05-27T00:32:00.999999-07:00
                odt4 = 1979-05-27 07:32:00Z
                odt5 = 1979-05-27t07:32:00z
                ldt1 = 1979-05-27T07:32:00
                ldt2 = 1979-05-27T00:32:00.999999
                ldt3 = 1979-05-27 00:32:00.1234567891234
                ld1 = 1979-05-27
                lt1 = 07:32:00
                lt2 = 00:32:00.999999
                """);

        assertThat(t.get("odt1")).isEqualTo(OffsetDateTime.of(1979, 5, 27, 7, 32, 0, 0, ZoneOffset.UTC));
        assertThat(t.get("odt2")).isEqualTo(OffsetDateTime.of(1979, 5, 27, 0, 32, 0, 0, ZoneOffset.ofHours(-7)));
        assertThat(t.get("odt3")).isEqualTo(OffsetDateTime.of(1979, 5, 27, 0, 32, 0, 999_999_000, ZoneOffset.ofHours(-7)));
        assertThat(t.get("odt4")).isEqualTo(t.get("odt1"));
        assertThat(t.get("odt5")).isEqualTo(t.get("odt1"));
        assertThat(t.get("ldt1")).isEqualTo(LocalDateTime.of(1979, 5, 27, 7, 32, 0));
        assertThat(t.get("ldt2")).isEqualTo(LocalDateTime.of(1979, 5, 27, 0, 32, 0, 999_999_000));
        assertThat(t.get("ldt3")).as("precision past nanoseconds is cut off, not rounded")
                .isEqualTo(LocalDateTime.of(1979, 5, 27, 0, 32, 0, 123_456_789));
        assertThat(t.get("ld1")).isEqualTo(LocalDate.of(1979, 5, 27));
        assertThat(t.get("lt1")).isEqualTo(LocalTime.of(7, 32, 0));
        assertThat(t.get("lt2")).isEqualTo(LocalTime.of(0, 32, 0, 999_999_000));
    }

    @Test
    void arraysMixTypesSpanLinesAndTakeATrailingComma() throws TomlParseException {
        TomlTable t = parse("""
                integers = [ 1, 2, 3 ]
                colors = [ "red", "yellow", "green" ]
                nested_arrays_of_ints = [ [ 1, 2 ], [3, 4, 5] ]
                nested_mixed_array = [ [ 1, 2 ], ["a", "b", "c"] ]
                numbers = [ 0.1, 0.2, 0.5, 1, 2, 5 ]
                contributors = [
                  "Foo Bar <foo@example.com>",  # a comment
                  { name = "Baz Qux", email = "bazqux@example.com", url = "https://example.com/bazqux" },
                  # a comment line
                ]
                empty = [

                ]
                integers3 = [
                  1,
                  2, # this is ok
                ]
                """);

        TomlArray ints = (TomlArray) t.get("integers");
        assertThat(ints.toList()).containsExactly(1L, 2L, 3L);
        assertThat(((TomlArray) t.get("colors")).toList()).containsExactly("red", "yellow", "green");
        TomlArray mixed = (TomlArray) t.get("nested_mixed_array");
        assertThat(((TomlArray) mixed.get(1)).toList()).containsExactly("a", "b", "c");
        assertThat(((TomlArray) t.get("numbers")).toList()).containsExactly(0.1, 0.2, 0.5, 1L, 2L, 5L);
        TomlArray contributors = (TomlArray) t.get("contributors");
        assertThat(contributors.size()).isEqualTo(2);
        assertThat(((TomlTable) contributors.get(1)).get("name")).isEqualTo("Baz Qux");
        assertThat(contributors.positionOf(1)).isEqualTo(new TomlPosition(8, 3));
        assertThat(((TomlArray) t.get("empty")).isEmpty()).isTrue();
        assertThat(((TomlArray) t.get("integers3")).toList()).containsExactly(1L, 2L);
    }

    @Test
    void inlineTablesNestAndTakeDottedKeys() throws TomlParseException {
        TomlTable t = parse("""
                name = { first = "Tom", last = "Preston-Werner" }
                point = { x = 1, y = 2 }
                animal = { type.name = "pug", type.size = "small" }
                empty = {}
                deep = { a = { b = { c = [1, { d = true }] } } }
                """);

        assertThat(table(t, "name").keySet()).containsExactly("first", "last");
        assertThat(table(t, "point").get("y")).isEqualTo(2L);
        assertThat(table(t, "animal", "type").get("size")).isEqualTo("small");
        assertThat(table(t, "empty").isEmpty()).isTrue();
        TomlArray c = (TomlArray) table(t, "deep", "a", "b").get("c");
        assertThat(((TomlTable) c.get(1)).get("d")).isEqualTo(true);
    }

    @Test
    void tablesSuperTablesAndDottedHeaders() throws TomlParseException {
        TomlTable t = parse("""
                [table-1]
                key1 = "some string"

                [ dog . "tater.man" ]
                type.name = "pug"

                [x.y.z.w]
                [x]

                [fruit]
                apple.color = "red"
                apple.taste.sweet = true

                [fruit.apple.texture]
                smooth = true
                """);

        assertThat(table(t, "table-1").get("key1")).isEqualTo("some string");
        assertThat(table(t, "dog", "tater.man", "type").get("name")).isEqualTo("pug");
        assertThat(table(t, "x", "y", "z", "w").isEmpty()).isTrue();
        assertThat(table(t, "fruit", "apple").keySet()).containsExactly("color", "taste", "texture");
        assertThat(table(t, "fruit", "apple", "texture").get("smooth")).isEqualTo(true);
    }

    @Test
    void arraysOfTablesWithSubTablesAndNestedArrays() throws TomlParseException {
        TomlTable t = parse("""
                [[products]]
                name = "Hammer"
                sku = 738594937

                [[products]]  # empty table within the array

                [[products]]
                name = "Nail"

                [[fruits]]
                name = "apple"

                [fruits.physical]
                color = "red"

                [[fruits.varieties]]
                name = "red delicious"

                [[fruits.varieties]]
                name = "granny smith"

                [[fruits]]
                name = "banana"

                [[fruits.varieties]]
                name = "plantain"

                [fruit]
                apple.color = "red"

                [[fruit.apple.seeds]]
                size = 2
                """);

        TomlArray products = (TomlArray) t.get("products");
        assertThat(products.size()).isEqualTo(3);
        assertThat(((TomlTable) products.get(1)).isEmpty()).isTrue();
        assertThat(List.of(products.positionOf(0).line(), products.positionOf(1).line(), products.positionOf(2).line()))
                .as("each element is where its header is").containsExactly(1, 5, 7);
        TomlArray fruits = (TomlArray) t.get("fruits");
        TomlTable apple = (TomlTable) fruits.get(0);
        assertThat(table(apple, "physical").get("color")).isEqualTo("red");
        assertThat(((TomlArray) apple.get("varieties")).size()).isEqualTo(2);
        TomlTable banana = (TomlTable) fruits.get(1);
        assertThat(((TomlTable) ((TomlArray) banana.get("varieties")).get(0)).get("name")).isEqualTo("plantain");
        assertThat(banana.contains("physical")).isFalse();
        assertThat(((TomlArray) table(t, "fruit", "apple").get("seeds")).size()).isEqualTo(1);
    }

    @Test
    void keysKeepTheirOrderAndPosition() throws TomlParseException {
        TomlTable t = parse("""
                z = 1
                a = 2

                [repository]
                  url = "x"
                  branch.name = "main"
                """);

        assertThat(t.keySet()).containsExactly("z", "a", "repository");
        assertThat(t.positionOf("a")).isEqualTo(new TomlPosition(2, 1));
        assertThat(t.positionOf("repository").line()).isEqualTo(4);
        assertThat(table(t, "repository").positionOf("url")).isEqualTo(new TomlPosition(5, 3));
        assertThat(table(t, "repository", "branch").positionOf("name")).isEqualTo(new TomlPosition(6, 10));
        assertThat(t.positionOf("missing")).isNull();
    }

    @Test
    void crlfLineEndingsAndAByteOrderMark() throws TomlParseException {
        TomlTable t = parse("\uFEFFa = 1\r\n# comment\r\n[t]\r\ns = \"\"\"\r\none\r\ntwo\"\"\"\r\nb = [\r\n  2,\r\n]\r\n");

        assertThat(t.get("a")).isEqualTo(1L);
        assertThat(table(t, "t").get("s")).isEqualTo("one\ntwo");
        assertThat(table(t, "t").positionOf("b").line()).isEqualTo(7);
    }

    @Test
    void aSingleValueIsReadAlone() throws TomlParseException {
        assertThat(((TomlTable) Toml.parseValue("{ cores = \"2\", a.b = 1 }")).keySet()).containsExactly("cores", "a");
        assertThat(((TomlArray) Toml.parseValue("[\n  1,\n  2, # two\n]\n")).toList()).containsExactly(1L, 2L);
        assertThat(Toml.parseValue("  \"text\"  # comment")).isEqualTo("text");
        assertThatThrownBy(() -> Toml.parseValue("{ a = 1 }\nb = 2"))
                .isInstanceOf(TomlParseException.class)
                .hasMessage("line 2, column 1: expected nothing after the value, found `b`");
        assertThatThrownBy(() -> Toml.parseValue("cores=2"))
                .hasMessage("line 1, column 1: expected a value, found `c…` (a string needs quotes)");
    }

    @Test
    void errorsSayWhatIsWrongInWordsWithLineAndColumn() {
        assertThatThrownBy(() -> parse("[repository]\nurl = \"x\"\nbranch = \"main\"\n    branch = \"dev\"\n"))
                .isInstanceOf(TomlParseException.class)
                .hasMessage("line 4, column 5: the key `repository.branch` is defined twice (first at line 3)")
                .satisfies(e -> {
                    TomlParseException p = (TomlParseException) e;
                    assertThat(p.position()).isEqualTo(new TomlPosition(4, 5));
                    assertThat(p.reason()).isEqualTo("the key `repository.branch` is defined twice (first at line 3)");
                });
        assertThatThrownBy(() -> parse("[a]\n[b]\n[a]\n"))
                .hasMessage("line 3, column 1: the table [a] is defined twice (first at line 1)");
        assertThatThrownBy(() -> parse("s = \"C:\\new\\dir\"\n"))
                .hasMessageStartingWith("line 1, column 12: the escape \\d does not exist");
    }

    @Test
    void nestingPastTheLimitIsRefusedNotOverflowed() {
        String deep = "a = " + "[".repeat(5000) + "]".repeat(5000);

        assertThatThrownBy(() -> parse(deep))
                .hasMessageContaining("nested deeper than " + TomlReader.MAX_DEPTH + " levels");
        assertThatThrownBy(() -> Toml.parseValue("{ a = ".repeat(5000)))
                .hasMessageContaining("nested deeper than");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDocuments")
    void invalidDocumentsAreRefusedAtTheirLine(String rule, String text, int line, String reason) {
        assertThatThrownBy(() -> parse(text))
                .as(rule)
                .isInstanceOf(TomlParseException.class)
                .satisfies(e -> {
                    TomlParseException p = (TomlParseException) e;
                    assertThat(p.position().line()).as(rule + ": " + p.getMessage()).isEqualTo(line);
                    assertThat(p.reason()).as(rule).contains(reason);
                });
    }

    static Stream<Arguments> invalidDocuments() {
        return Stream.of(
                // key/value pairs
                bad("a value is required", "key = # INVALID", 1, "value is missing"),
                bad("one key/value pair per line", "first = \"Tom\" last = \"Preston-Werner\"", 1, "end of the line"),
                bad("a key is required", "a = 1\n= \"no key name\"", 2, "expected a key"),
                bad("a key needs =", "a = 1\nkey\n", 2, "expected = after the key `key`"),
                bad("a dotted key has no empty part", "a.= 1", 1, "expected a key"),
                bad("a dotted key has no double dot", "a..b = 1", 1, "expected a key"),
                bad("a key is not multi-line", "\"\"\"key\"\"\" = 1", 1, "multi-line"),
                bad("a key is defined once", "name = \"Tom\"\nname = \"Pradyun\"", 2, "defined twice (first at line 1)"),
                bad("quoting does not make another key", "spelling = \"favorite\"\n\"spelling\" = \"favourite\"", 2,
                        "defined twice"),
                bad("a value is not a table", "fruit.apple = 1\nfruit.apple.smooth = true", 2, "already has a value"),
                bad("a dotted table is not a value", "[t]\na.b = 1\na = 2", 3, "already a table (line 2)"),
                // comments and control characters
                bad("no control character in a comment", "a = 1\n# bell \u0007 here\n", 2, "U+0007"),
                bad("no lone carriage return", "a = 1\r\nb = 2\rc = 3\n", 2, "carriage return"),
                // strings
                bad("\\x is not a TOML 1.0 escape", "str = \"a \\x41\"", 1, "the escape \\x does not exist"),
                bad("no raw control character in a string", "str = \"tab\u0001\"", 1, "U+0001"),
                bad("a backslash must escape something", "str = \"\"\"\nline\\ continued\"\"\"", 2, "backslash"),
                bad("an escape names a unicode scalar value", "x = 1\ns = \"\\uD800\"", 2, "no unicode character"),
                bad("\\u takes four hexadecimal digits", "s = \"\\u00G1\"", 1, "hexadecimal digits"),
                bad("\\U takes eight hexadecimal digits", "s = \"\\U0011FFFF\"", 1, "no unicode character"),
                bad("a basic string ends on its line", "a = 1\n\nurl = \"x\nbranch = \"main\"", 3, "not closed on its line"),
                bad("a literal string ends on its line", "s = 'literal\nnext'", 1, "not closed on its line"),
                bad("a multi-line string is closed", "a = 1\ns = \"\"\"\nnever closed\n", 2, "never closed"),
                bad("a multi-line literal string is closed", "s = '''\nnever closed\n", 1, "never closed"),
                bad("at most five quotes end a multi-line string", "s = '''a\n''''''\n", 2, "more than five quotes"),
                bad("no control character in a multi-line string", "s = \"\"\"\na\u007fb\"\"\"", 2, "U+007F"),
                // integers
                bad("no leading zero", "n = 012", 1, "leading zeros"),
                bad("an underscore between digits, not doubled", "n = 1__000", 1, "underscore"),
                bad("an underscore between digits, not leading", "n = _1", 1, "underscore"),
                bad("an underscore between digits, not trailing", "n = 1_", 1, "underscore"),
                bad("no sign on hexadecimal", "n = +0x1F", 1, "take no sign"),
                bad("no underscore after the prefix", "n = 0x_1F", 1, "underscore"),
                bad("no uppercase prefix", "n = 0X1F", 1, "not a valid number"),
                bad("integers fit in 64 bits", "n = 9223372036854775808", 1, "does not fit in 64 bits"),
                bad("hexadecimal integers fit in 64 bits", "n = 0x8000000000000000", 1, "does not fit"),
                bad("octal digits stop at 7", "n = 0o8", 1, "not a valid number"),
                // floats
                bad("a decimal point has a digit before it", "f = .7", 1, "decimal point"),
                bad("a decimal point has a digit after it", "f = 7.", 1, "decimal point"),
                bad("a decimal point has a digit before the exponent", "f = 3.e+20", 1, "decimal point"),
                bad("an exponent has digits", "f = 1e", 1, "exponent"),
                bad("infinity is written inf", "f = infinity", 1, "expected a value"),
                bad("a float has no leading zero", "f = 03.14", 1, "leading zeros"),
                // booleans
                bad("booleans are lower case", "b = True", 1, "expected a value"),
                // dates and times
                bad("a date exists", "d = 1979-02-30", 1, "not a valid date"),
                bad("hours go to 23", "d = 1979-05-27T25:00:00", 1, "not a valid time"),
                bad("a time has seconds", "t = 07:32", 1, "not a valid date-time or time"),
                bad("a date-time has seconds", "t = 1979-05-27 07:32", 1, "not a valid date-time or time"),
                bad("an offset stays under 24 hours", "d = 1979-05-27T07:32:00+25:00", 1, "time offset"),
                // arrays
                bad("array elements are separated by commas", "a = [1 2]", 1, "expected , or ]"),
                bad("an array has no empty element", "a = [1,,2]", 1, "expected a value"),
                bad("an array is closed", "a = [\n1,\n2\n", 4, "expected , or ]"),
                // inline tables
                bad("no trailing comma in an inline table", "t = { a = 1, }", 1, "no comma after its last key"),
                bad("an inline table is on one line", "t = { a = 1,\n b = 2 }", 1, "closed with } on the line"),
                bad("an inline table defines a key once", "t = { a = 1, a = 2 }", 1, "defined twice"),
                bad("an inline table cannot be extended by dotted keys",
                        "[product]\ntype = { name = \"Nail\" }\ntype.edible = false", 3, "inline table (line 2)"),
                bad("an inline table cannot be extended by a header", "a = { x = 1 }\n[a.b]", 2, "inline table"),
                bad("an inline table cannot be defined by a header", "a = {}\n[a]", 2, "inline table"),
                bad("a dotted table cannot be redefined inline",
                        "[product]\ntype.name = \"Nail\"\ntype = { edible = false }", 3, "already a table"),
                bad("inline tables are complete inside inline tables",
                        "t = { fruit = { apple.color = \"red\" }, fruit.apple.texture = { smooth = true } }", 1,
                        "inline table"),
                // tables
                bad("a table is defined once", "[fruit]\napple = \"red\"\n\n[fruit]\norange = \"orange\"", 4,
                        "defined twice (first at line 1)"),
                bad("a value is not a table header", "[fruit]\napple = \"red\"\n\n[fruit.apple]\ntexture = \"smooth\"",
                        4, "already has a value"),
                bad("a table made by dotted keys gets no header",
                        "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.taste]", 4,
                        "already defined by the dotted keys at line 3"),
                bad("a table that dotted keys defined under a later header gets no header of its own",
                        "[a.b.c]\n[a]\nb.x = 1\n[a.b]", 4, "already defined by the dotted keys at line 3"),
                bad("dotted keys do not add to a table with a header", "[a.b.c]\nz = 9\n[a]\nb.c.t = 9", 4,
                        "dotted keys cannot add to it"),
                bad("a header is closed", "[a\nb = 1", 1, "expected ] to close"),
                bad("a header names a table", "x = 1\n[]", 2, "expected a key"),
                bad("nothing follows a header on its line", "[a] b = 1", 1, "end of the line"),
                bad("no space inside [[", "[ [a] ]", 1, "expected a key"),
                // arrays of tables
                bad("a static array takes no [[header]]", "fruits = []\n\n[[fruits]]", 3, "array written as a value"),
                bad("an array of tables is not a table",
                        "[[fruits]]\nname = \"apple\"\n[[fruits.varieties]]\nname = \"red delicious\"\n"
                                + "[fruits.varieties]\nname = \"granny smith\"", 5, "array of tables"),
                bad("a table is not an array of tables",
                        "[[fruits]]\n[fruits.physical]\ncolor = \"red\"\n[[fruits.physical]]\ncolor = \"green\"", 4,
                        "already a table"),
                bad("a table made implicitly is not an array of tables",
                        "[fruit.physical]\ncolor = \"red\"\n[[fruit]]\nname = \"apple\"", 3, "already a table"),
                bad("dotted keys do not add to an array of tables", "[[tab.arr]]\n[tab]\narr.val1 = 1", 3,
                        "dotted keys cannot add to it"),
                bad("a static array of inline tables takes no sub-table", "a = [{ x = 1 }]\n[a.b]", 2,
                        "already has a value"));
    }

    private static Arguments bad(String rule, String text, int line, String reason) {
        return Arguments.of(rule, text, line, reason);
    }
}
