package org.gitopssync.secrets.sops;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** How go-yaml v3 (which sops uses) reads plain scalars and decides how to quote strings on output. */
final class YamlScalars {

    private static final Object NULL = new Object();
    private static final Map<String, Object> WORDS = Map.ofEntries(
            Map.entry("true", true), Map.entry("True", true), Map.entry("TRUE", true),
            Map.entry("false", false), Map.entry("False", false), Map.entry("FALSE", false),
            Map.entry("", NULL), Map.entry("~", NULL), Map.entry("null", NULL), Map.entry("Null", NULL),
            Map.entry("NULL", NULL),
            Map.entry(".nan", Double.NaN), Map.entry(".NaN", Double.NaN), Map.entry(".NAN", Double.NaN),
            Map.entry(".inf", Double.POSITIVE_INFINITY), Map.entry(".Inf", Double.POSITIVE_INFINITY),
            Map.entry(".INF", Double.POSITIVE_INFINITY), Map.entry("+.inf", Double.POSITIVE_INFINITY),
            Map.entry("+.Inf", Double.POSITIVE_INFINITY), Map.entry("+.INF", Double.POSITIVE_INFINITY),
            Map.entry("-.inf", Double.NEGATIVE_INFINITY), Map.entry("-.Inf", Double.NEGATIVE_INFINITY),
            Map.entry("-.INF", Double.NEGATIVE_INFINITY));
    private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern BASE60_FLOAT = Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");
    private static final Set<String> OLD_BOOLS = Set.of("y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
            "n", "N", "no", "No", "NO", "off", "Off", "OFF");
    // Longer texts are no word: no need to hash a long value (an ENC[...] one) to find that out.
    private static final int LONGEST_WORD = WORDS.keySet().stream().mapToInt(String::length).max().orElse(0);
    private static final int LONGEST_OLD_BOOL = OLD_BOOLS.stream().mapToInt(String::length).max().orElse(0);
    private static final String TAG_PREFIX = "tag:yaml.org,2002:";

    private YamlScalars() {
    }

    /** The value of an untagged plain scalar: String, Long, BigInteger, Double, Boolean, GoTime or null. */
    static Object resolvePlain(String text) {
        if (text.length() <= LONGEST_WORD && WORDS.containsKey(text)) {
            Object word = WORDS.get(text);
            return word == NULL ? null : word;
        }
        char first = text.charAt(0);
        if (first == '.') {
            return GoNumbers.parseFloat(text).map(value -> (Object) value).orElse(text);
        }
        if (first == '+' || first == '-' || (first >= '0' && first <= '9')) {
            Optional<GoTime> time = GoTime.parseYamlTimestamp(text);
            if (time.isPresent()) {
                return time.get();
            }
            String plain = text.replace("_", "");
            Optional<Object> integer = GoNumbers.parseIntBase0(plain);
            if (integer.isPresent()) {
                return integer.get();
            }
            if (YAML_FLOAT.matcher(plain).matches()) {
                Optional<Double> number = GoNumbers.parseFloat(plain);
                if (number.isPresent()) {
                    return number.get();
                }
            }
        }
        return text;
    }

    /** A scalar with an explicit tag ({@code !!str 123}, {@code !!binary ...}); unknown tags read as strings. */
    static Object resolveTagged(String tag, String text) {
        String shortTag = tag.startsWith(TAG_PREFIX) ? tag.substring(TAG_PREFIX.length()) : tag;
        switch (shortTag) {
            case "binary":
                byte[] bytes = Base64.getMimeDecoder().decode(text);
                String decoded = new String(bytes, StandardCharsets.UTF_8);
                return Arrays.equals(decoded.getBytes(StandardCharsets.UTF_8), bytes) ? decoded : bytes;
            case "int", "float", "bool", "null", "timestamp":
                Object value = resolvePlain(text);
                if ("float".equals(shortTag) && value instanceof Long number) {
                    return number.doubleValue();
                }
                return value;
            default:
                return text;
        }
    }

    /** Whether go-yaml would write the string unquoted: it must read back as the same string. */
    static boolean canBePlain(String text) {
        return resolvePlain(text) instanceof String && !(text.length() <= LONGEST_OLD_BOOL && OLD_BOOLS.contains(text))
                && !isBase60Float(text);
    }

    private static boolean isBase60Float(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char c = text.charAt(0);
        boolean start = c == '+' || c == '-' || (c >= '0' && c <= '9');
        return start && text.indexOf(':') >= 0 && BASE60_FLOAT.matcher(text).matches();
    }

    static boolean isPrintable(int cp) {
        return cp == 0x0A || (cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xD7FF)
                || (cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF);
    }

    static boolean isBreak(int cp) {
        return cp == '\r' || cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
    }

    /** The emitter's view of a scalar (yaml_emitter_analyze_scalar). */
    record Analysis(boolean multiline, boolean blockPlainAllowed, boolean singleQuotedAllowed, boolean blockAllowed) {

        static Analysis of(String value) {
            if (value.isEmpty()) {
                return new Analysis(false, true, true, false);
            }
            boolean blockIndicators = value.startsWith("---") || value.startsWith("...");
            boolean lineBreaks = false;
            boolean special = false;
            boolean tabs = false;
            boolean leadingSpace = false;
            boolean leadingBreak = false;
            boolean trailingSpace = false;
            boolean trailingBreak = false;
            boolean breakSpace = false;
            boolean spaceBreak = false;
            boolean precededByWhitespace = true;
            boolean previousSpace = false;
            boolean previousBreak = false;
            int length = value.length();
            for (int offset = 0, i = 0; offset < length; i++) {
                int c = value.codePointAt(offset);
                offset += Character.charCount(c);
                boolean last = offset >= length;
                boolean followedByWhitespace = last || value.charAt(offset) == ' ' || value.charAt(offset) == '\t';
                if (i == 0) {
                    if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) {
                        blockIndicators = true;
                    } else if ((c == '?' || c == ':' || c == '-') && followedByWhitespace) {
                        blockIndicators = true;
                    }
                } else if ((c == ':' && followedByWhitespace) || (c == '#' && precededByWhitespace)) {
                    blockIndicators = true;
                }
                if (c == '\t') {
                    tabs = true;
                } else if (!isPrintable(c)) {
                    special = true;
                }
                if (c == ' ') {
                    leadingSpace |= i == 0;
                    trailingSpace |= last;
                    breakSpace |= previousBreak;
                    previousSpace = true;
                    previousBreak = false;
                } else if (isBreak(c)) {
                    lineBreaks = true;
                    leadingBreak |= i == 0;
                    trailingBreak |= last;
                    spaceBreak |= previousSpace;
                    previousSpace = false;
                    previousBreak = true;
                } else {
                    previousSpace = false;
                    previousBreak = false;
                }
                precededByWhitespace = c == ' ' || c == '\t' || isBreak(c) || c == 0;
            }
            boolean blockPlain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || breakSpace
                    || spaceBreak || tabs || special || lineBreaks || blockIndicators);
            boolean single = !(breakSpace || spaceBreak || tabs || special);
            boolean block = !(trailingSpace || spaceBreak || special);
            return new Analysis(lineBreaks, blockPlain, single, block);
        }
    }
}
