package org.gitopssync.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written the systemd way: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 2d 4h}, a bare number is seconds. */
public final class SystemdDuration {

    private static final Pattern PART = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");

    private SystemdDuration() {
    }

    /** Parses the text or throws {@link IllegalArgumentException} with a message fit for a config error. */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("expected a duration like 30s, 5m or 1h30m, got an empty string");
        }
        if (s.equalsIgnoreCase("infinity")) {
            return Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L);
        }
        Matcher m = PART.matcher(s);
        long nanos = 0;
        int pos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("expected a duration like 30s, 5m or 1h30m, got \"" + text + "\"");
            }
            double amount = Double.parseDouble(m.group(1));
            nanos += (long) (amount * unitNanos(m.group(2), text));
            pos = m.end();
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
        return Duration.ofNanos(nanos);
    }

    private static double unitNanos(String unit, String text) {
        switch (unit.toLowerCase(Locale.ROOT)) {
            case "ns", "nsec": return 1;
            case "us", "usec": return 1e3;
            case "ms", "msec": return 1e6;
            case "", "s", "sec", "second", "seconds": return 1e9;
            case "m", "min", "minute", "minutes": return 60e9;
            case "h", "hr", "hour", "hours": return 3600e9;
            case "d", "day", "days": return 86400e9;
            case "w", "week", "weeks": return 7 * 86400e9;
            default:
                throw new IllegalArgumentException("unknown time unit \"" + unit + "\" in \"" + text
                        + "\" (use ms, s, m, h, d or w)");
        }
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
