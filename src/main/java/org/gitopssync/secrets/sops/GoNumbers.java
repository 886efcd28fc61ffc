package org.gitopssync.secrets.sops;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Go's strconv number parsing and formatting, where sops's MAC and output depend on the exact text. */
final class GoNumbers {

    private static final Pattern DECIMAL_FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX_FLOAT = Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?\\d+");
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private GoNumbers() {
    }

    /** strconv.Atoi: optional sign and decimal digits, within int64. */
    static Optional<Long> atoi(String text) {
        if (!text.matches("[+-]?\\d+")) {
            return Optional.empty();
        }
        BigInteger value = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        return inInt64(value) ? Optional.of(value.longValueExact()) : Optional.empty();
    }

    /** strconv.ParseInt(text, 0, 64), falling back to ParseUint: 0x, 0o, 0b and leading-0 octal prefixes. */
    static Optional<Object> parseIntBase0(String text) {
        boolean negative = false;
        String s = text;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            return Optional.empty();
        }
        int radix = 10;
        if (s.charAt(0) == '0' && s.length() > 1) {
            char second = Character.toLowerCase(s.charAt(1));
            if (s.length() >= 3 && (second == 'b' || second == 'o' || second == 'x')) {
                radix = second == 'b' ? 2 : second == 'o' ? 8 : 16;
                s = s.substring(2);
            } else {
                radix = 8;
                s = s.substring(1);
            }
        }
        int base = radix;
        if (!s.chars().allMatch(c -> c < 128 && Character.digit(c, base) >= 0)) {
            return Optional.empty();
        }
        BigInteger value = new BigInteger(s, radix);
        if (negative) {
            value = value.negate();
        }
        if (inInt64(value)) {
            return Optional.of(value.longValueExact());
        }
        boolean unsigned = !negative && !text.startsWith("+") && value.compareTo(UINT64_MAX) <= 0;
        return unsigned ? Optional.of(value) : Optional.empty();
    }

    /** strconv.ParseFloat(text, 64) for decimal, hexadecimal, inf and nan forms. */
    static Optional<Double> parseFloat(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return Optional.of(lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        if (unsigned.equals("nan")) {
            return Optional.of(Double.NaN);
        }
        if (DECIMAL_FLOAT.matcher(text).matches() || HEX_FLOAT.matcher(text).matches()) {
            double value = Double.parseDouble(text);
            return Double.isInfinite(value) ? Optional.empty() : Optional.of(value);
        }
        return Optional.empty();
    }

    /** strconv.ParseBool. */
    static Optional<Boolean> parseBool(String text) {
        return switch (text) {
            case "1", "t", "T", "true", "TRUE", "True" -> Optional.of(true);
            case "0", "f", "F", "false", "FALSE", "False" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** strconv.FormatFloat(value, 'f', -1, 64). */
    static String formatF(double value) {
        return special(value).orElseGet(() -> {
            Shortest d = Shortest.of(value);
            return d.sign() + fixed(d.digits(), d.point(), Math.max(d.digits().length() - d.point(), 0));
        });
    }

    /** strconv.FormatFloat(value, 'g' or 'G', -1, 64). */
    static String formatG(double value, boolean upper) {
        return special(value).orElseGet(() -> {
            Shortest d = Shortest.of(value);
            int digits = d.digits().length();
            int exponentLimit = 6;
            if (exponentLimit > digits && digits >= d.point()) {
                exponentLimit = digits;
            }
            int exponent = d.point() - 1;
            if (exponent < -4 || exponent >= exponentLimit) {
                return d.sign() + scientific(d, upper);
            }
            return d.sign() + fixed(d.digits(), d.point(), Math.max(digits - d.point(), 0));
        });
    }

    /** strconv.FormatFloat(value, 'e', -1, 64). */
    static String formatE(double value) {
        return special(value).orElseGet(() -> {
            Shortest d = Shortest.of(value);
            return d.sign() + scientific(d, false);
        });
    }

    private static Optional<String> special(double value) {
        if (Double.isNaN(value)) {
            return Optional.of("NaN");
        }
        if (Double.isInfinite(value)) {
            return Optional.of(value > 0 ? "+Inf" : "-Inf");
        }
        return Optional.empty();
    }

    private static String fixed(String digits, int point, int fractionDigits) {
        StringBuilder out = new StringBuilder();
        if (point <= 0) {
            out.append('0');
        } else {
            for (int i = 0; i < point; i++) {
                out.append(i < digits.length() ? digits.charAt(i) : '0');
            }
        }
        if (fractionDigits > 0) {
            out.append('.');
            for (int i = 0; i < fractionDigits; i++) {
                int index = point + i;
                out.append(index >= 0 && index < digits.length() ? digits.charAt(index) : '0');
            }
        }
        return out.toString();
    }

    private static String scientific(Shortest d, boolean upper) {
        StringBuilder out = new StringBuilder().append(d.digits().charAt(0));
        if (d.digits().length() > 1) {
            out.append('.').append(d.digits(), 1, d.digits().length());
        }
        int exponent = d.digits().equals("0") ? 0 : d.point() - 1;
        out.append(upper ? 'E' : 'e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            out.append('0');
        }
        return out.append(magnitude).toString();
    }

    private static boolean inInt64(BigInteger value) {
        return value.compareTo(INT64_MIN) >= 0 && value.compareTo(INT64_MAX) <= 0;
    }

    /** The shortest decimal that reads back as the same double: 0.digits × 10^point. */
    private record Shortest(String sign, String digits, int point) {

        static Shortest of(double value) {
            String sign = (value < 0 || (value == 0 && 1 / value < 0)) ? "-" : "";
            if (value == 0) {
                return new Shortest(sign, "0", 1);
            }
            BigDecimal exact = new BigDecimal(Math.abs(value));
            // Java 17's Double.toString is not always the shortest form (JDK-4511638), so search for it.
            for (int precision = 1; precision <= 17; precision++) {
                BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
                if (rounded.doubleValue() == Math.abs(value)) {
                    BigDecimal stripped = rounded.stripTrailingZeros();
                    String digits = stripped.unscaledValue().toString();
                    return new Shortest(sign, digits, digits.length() - stripped.scale());
                }
            }
            throw new IllegalStateException("no shortest decimal for a finite double");
        }
    }
}
