package org.gitopssync.secrets.sops;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A timestamp value ("time" in sops), formatted the way Go's time package does. */
record GoTime(OffsetDateTime value) {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    // yaml.v3 accepts 2006-1-2, 2006-1-2T15:4:5.999999999Z07:00 (T or t) and 2006-1-2 15:4:5.999999999 (UTC).
    private static final Pattern YAML_TIMESTAMP = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:(?:[Tt](\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,9}))?(Z|[+-]\\d{2}:\\d{2}))"
                    + "|(?: (\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,9}))?))?");

    /** Go's time.RFC3339Nano: fraction without trailing zeros, "Z" for a zero offset. */
    String rfc3339Nano() {
        StringBuilder out = new StringBuilder(SECONDS.format(value));
        int nanos = value.getNano();
        if (nanos != 0) {
            String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
            out.append('.').append(fraction);
        }
        return out.append(zone()).toString();
    }

    /** Go's time.RFC3339: whole seconds. */
    String rfc3339() {
        return SECONDS.format(value) + zone();
    }

    private String zone() {
        ZoneOffset offset = value.getOffset();
        return offset.getTotalSeconds() == 0 ? "Z" : offset.getId();
    }

    /** Go time.Parse(time.RFC3339, text), which also accepts a fraction. */
    static Optional<GoTime> parseRfc3339(String text) {
        try {
            return Optional.of(new GoTime(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The timestamps a plain YAML scalar resolves to under yaml.v3. */
    static Optional<GoTime> parseYamlTimestamp(String text) {
        Matcher m = YAML_TIMESTAMP.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            LocalTime time = LocalTime.MIDNIGHT;
            ZoneOffset offset = ZoneOffset.UTC;
            if (m.group(4) != null) {
                time = time(m.group(4), m.group(5), m.group(6), m.group(7));
                offset = "Z".equals(m.group(8)) ? ZoneOffset.UTC : ZoneOffset.of(m.group(8));
            } else if (m.group(9) != null) {
                time = time(m.group(9), m.group(10), m.group(11), m.group(12));
            }
            return Optional.of(new GoTime(OffsetDateTime.of(date, time, offset)));
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static LocalTime time(String hour, String minute, String second, String fraction) {
        int nanos = fraction == null ? 0 : Integer.parseInt((fraction + "000000000").substring(0, 9));
        return LocalTime.of(Integer.parseInt(hour), Integer.parseInt(minute), Integer.parseInt(second), nanos);
    }
}
