package org.gitopssync.config.toml;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Numbers, booleans and dates/times: the values written without quotes. */
final class TomlScalars {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(0|[1-9](_?[0-9])*)");
    private static final Pattern HEX = Pattern.compile("0x[0-9A-Fa-f](_?[0-9A-Fa-f])*");
    private static final Pattern OCTAL = Pattern.compile("0o[0-7](_?[0-7])*");
    private static final Pattern BINARY = Pattern.compile("0b[01](_?[01])*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(0|[1-9](_?[0-9])*)(\\.[0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?");
    private static final Pattern SPECIAL_FLOAT = Pattern.compile("[+-]?(inf|nan)");
    private static final String TIME = "([0-9]{2}):([0-9]{2}):([0-9]{2})(\\.[0-9]+)?";
    private static final Pattern DATE = Pattern.compile("([0-9]{4})-([0-9]{2})-([0-9]{2})");
    private static final Pattern LOCAL_TIME = Pattern.compile(TIME);
    private static final Pattern DATE_TIME = Pattern.compile(
            "([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]" + TIME + "([Zz]|[+-][0-9]{2}:[0-9]{2})?");

    /** Longer than any number or date-time needs (a binary integer with underscores has 129 characters). */
    private static final int MAX_TOKEN = 256;

    private TomlScalars() {
    }

    /** A number, boolean or date/time starting at the cursor. */
    static Object read(Cursor in) throws TomlParseException {
        TomlPosition at = in.position();
        String token = token(in);
        if (token.isEmpty()) {
            throw in.error("expected a value, found " + in.describe());
        }
        if (DATE.matcher(token).matches() && in.peek() == ' ' && isDigit(in.peek(1))) {
            // A date and a time may be separated by one space instead of T.
            in.next();
            token = token + " " + token(in);
        }
        if (token.length() > MAX_TOKEN) {
            // refused before any pattern runs: the patterns recurse once per digit
            throw Cursor.error(at, "a value of " + token.length() + " characters without quotes: no number, boolean"
                    + " or date is that long (a string needs quotes)");
        }
        try {
            return value(token);
        } catch (IllegalArgumentException e) {
            throw Cursor.error(at, e.getMessage());
        }
    }

    private static String token(Cursor in) {
        StringBuilder out = new StringBuilder();
        while (isTokenChar(in.peek())) {
            out.append(in.next());
        }
        return out.toString();
    }

    private static boolean isTokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_' || c == '+' || c == '-'
                || c == '.' || c == ':';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static Object value(String token) {
        switch (token) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                break;
        }
        if (DECIMAL.matcher(token).matches()) {
            return integer(token, token.replace("_", ""), 10);
        }
        if (HEX.matcher(token).matches() || OCTAL.matcher(token).matches() || BINARY.matcher(token).matches()) {
            int radix = switch (token.charAt(1)) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            return integer(token, token.substring(2).replace("_", ""), radix);
        }
        if (FLOAT.matcher(token).matches()) {
            double d = Double.parseDouble(token.replace("_", ""));
            if (Double.isInfinite(d)) {
                throw new IllegalArgumentException("the float " + shown(token) + " is too large for 64 bits");
            }
            return d;
        }
        if (SPECIAL_FLOAT.matcher(token).matches()) {
            if (token.endsWith("nan")) {
                return Double.NaN;
            }
            return token.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        Matcher m = DATE_TIME.matcher(token);
        if (m.matches()) {
            return dateTime(token, m);
        }
        m = DATE.matcher(token);
        if (m.matches()) {
            return date(token, m.group(1), m.group(2), m.group(3));
        }
        m = LOCAL_TIME.matcher(token);
        if (m.matches()) {
            return time(token, m.group(1), m.group(2), m.group(3), m.group(4));
        }
        throw new IllegalArgumentException(problem(token));
    }

    private static long integer(String token, String digits, int radix) {
        try {
            return Long.parseLong(digits, radix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the integer " + shown(token) + " does not fit in 64 bits"
                    + " (-9223372036854775808 to 9223372036854775807)");
        }
    }

    private static Object dateTime(String token, Matcher m) {
        LocalDate date = date(token, m.group(1), m.group(2), m.group(3));
        LocalTime time = time(token, m.group(4), m.group(5), m.group(6), m.group(7));
        String offset = m.group(8);
        if (offset == null) {
            return LocalDateTime.of(date, time);
        }
        if (offset.equalsIgnoreCase("z")) {
            return OffsetDateTime.of(date, time, ZoneOffset.UTC);
        }
        int hours = Integer.parseInt(offset.substring(1, 3));
        int minutes = Integer.parseInt(offset.substring(4, 6));
        if (hours > 23 || minutes > 59) {
            throw new IllegalArgumentException(shown(token) + " has no valid time offset (" + offset + ")");
        }
        int sign = offset.charAt(0) == '-' ? -1 : 1;
        try {
            return OffsetDateTime.of(date, time, ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(shown(token) + ": the offset " + offset + " is beyond the 18 hours supported");
        }
    }

    private static LocalDate date(String token, String year, String month, String day) {
        try {
            return LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(shown(token) + " is not a valid date (" + year + "-" + month + "-" + day
                    + " does not exist)");
        }
    }

    private static LocalTime time(String token, String hour, String minute, String second, String fraction) {
        int nanos = 0;
        if (fraction != null) {
            // Digits past nanoseconds are cut off, not rounded, as the specification asks.
            String digits = (fraction.substring(1) + "00000000").substring(0, 9);
            nanos = Integer.parseInt(digits);
        }
        try {
            return LocalTime.of(Integer.parseInt(hour), Integer.parseInt(minute), Integer.parseInt(second), nanos);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(shown(token) + " is not a valid time (hours 00-23, minutes and seconds 00-59)");
        }
    }

    /**
     * A token as a message shows it: whole when it is short and looks like a number or date, otherwise only its first
     * character, since an unquoted value may be a secret someone forgot to quote.
     */
    private static String shown(String token) {
        boolean numberLike = token.length() <= 40;
        for (int i = 0; i < token.length() && numberLike; i++) {
            char c = token.charAt(i);
            numberLike = isDigit(c) || "+-_.: eExobTtZz".indexOf(c) >= 0;
        }
        return "`" + (numberLike ? token : token.charAt(0) + "…") + "`";
    }

    /** Why a token is none of the values, as precisely as can be told. */
    private static String problem(String token) {
        String digits = token.replaceFirst("^[+-]", "");
        if (token.matches("[+-]0[xob].*")) {
            return shown(token) + ": hexadecimal, octal and binary integers take no sign";
        }
        if (digits.matches("0[0-9_]+([.eE].*)?")) {
            return shown(token) + ": leading zeros are not allowed in a number";
        }
        if (token.contains("_") && token.matches("[+\\-0-9A-Fa-fxob_.eE]+")) {
            return shown(token) + ": an underscore in a number must stand between two digits";
        }
        if (digits.matches("[0-9]+\\.([eE].*)?") || digits.startsWith(".") || digits.matches(".*\\.[eE_].*")) {
            return shown(token) + ": a decimal point needs a digit on each side";
        }
        if (digits.matches("[0-9.]+[eE][+-]?")) {
            return shown(token) + ": an exponent needs digits";
        }
        if (token.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ].*") || token.matches("[0-9]{2}:[0-9]{2}.*")) {
            return shown(token) + " is not a valid date-time or time (write 1979-05-27T07:32:00Z, 1979-05-27 07:32:00"
                    + " or 07:32:00, seconds included)";
        }
        if (token.matches("[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}")) {
            return shown(token) + " is not a valid date (write it as YYYY-MM-DD)";
        }
        if (token.matches("[+-]?[0-9].*")) {
            return shown(token) + " is not a valid number";
        }
        return "expected a value, found " + shown(token) + " (a string needs quotes)";
    }
}
