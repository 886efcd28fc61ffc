package org.gitopssync.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as systemd time spans (systemd.time(7)): {@code 30s}, {@code 5min}, {@code 1h30m},
 * {@code 2d 4h}; units are case-sensitive ({@code m} is a minute, {@code M} a month) and a bare number is seconds.
 */
public final class SystemdDuration {

    /** The longest duration any setting accepts: more is a typo (a month for a minute) or a way to stall the agent. */
    public static final Duration MAX = Duration.ofDays(7);

    private static final Pattern PART = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z\u00b5\u03bc]*)");
    private static final String EXAMPLES = "expected a duration like 30s, 5min or 1h30m";

    private SystemdDuration() {
    }

    /** Parses the text or throws {@link IllegalArgumentException} with a message fit for a config error. */
    public static Duration parse(String text) {
        return parse(text, MAX);
    }

    /** As {@link #parse(String)}, for a setting whose longest sensible value is {@code max} rather than {@link #MAX}. */
    public static Duration parse(String text, Duration max) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException(EXAMPLES + ", got an empty string");
        }
        Matcher m = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int pos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos || m.end() == pos) {
                throw new IllegalArgumentException(EXAMPLES + ", got \"" + text + "\"");
            }
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2), text))));
            if (nanos.compareTo(BigDecimal.valueOf(max.toNanos())) > 0) {
                throw new IllegalArgumentException("\"" + text + "\" is longer than " + format(max)
                        + ", the longest duration a setting accepts (in systemd time spans M is a month, m a minute)");
            }
            pos = m.end();
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** A bare TOML integer: seconds, as a bare number in a string is. */
    public static Duration ofSeconds(long seconds) {
        return ofSeconds(seconds, MAX);
    }

    /** As {@link #ofSeconds(long)}, with the longest sensible value {@code max}. */
    public static Duration ofSeconds(long seconds, Duration max) {
        if (seconds < 0) {
            throw new IllegalArgumentException("a duration cannot be negative, got " + seconds);
        }
        if (seconds > max.getSeconds()) {
            throw new IllegalArgumentException(seconds + " seconds is longer than " + format(max)
                    + ", the longest duration a setting accepts");
        }
        return Duration.ofSeconds(seconds);
    }

    /** Nanoseconds per unit, with systemd's spellings and its case-sensitive M (month) and m (minute). */
    private static long unitNanos(String unit, String text) {
        return switch (unit) {
            case "ns", "nsec" -> 1L;
            case "us", "usec", "\u00b5s", "\u03bcs" -> 1_000L;
            case "ms", "msec" -> 1_000_000L;
            case "", "s", "sec", "second", "seconds" -> 1_000_000_000L;
            case "m", "min", "minute", "minutes" -> 60_000_000_000L;
            case "h", "hr", "hour", "hours" -> 3_600_000_000_000L;
            case "d", "day", "days" -> 86_400_000_000_000L;
            case "w", "week", "weeks" -> 7 * 86_400_000_000_000L;
            // systemd: a month is 30.44 days, a year 365.25 days
            case "M", "month", "months" -> 2_629_800_000_000_000L;
            case "y", "year", "years" -> 31_557_600_000_000_000L;
            default -> throw new IllegalArgumentException("unknown time unit \"" + unit + "\" in \"" + text
                    + "\" (systemd time spans: us, ms, s, min or m, h, d, w, M for months, y)");
        };
    }

    /** Formats a duration back in the same style, for effective-settings output. */
    public static String format(Duration d) {
        long seconds = d.getSeconds();
        if (seconds == 0 && d.getNano() > 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder out = new StringBuilder();
        long[] units = {86400, 3600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (seconds >= units[i]) {
                out.append(seconds / units[i]).append(names[i]);
                seconds %= units[i];
            }
        }
        return out.length() == 0 ? "0s" : out.toString();
    }
}
