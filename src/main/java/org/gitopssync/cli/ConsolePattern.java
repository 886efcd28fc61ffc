package org.gitopssync.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.function.BiConsumer;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import org.gitopssync.LogLine;

/**
 * The console format ({@code quarkus.log.console.format}) printed as JBoss LogManager's pattern formatter prints it,
 * for {@link Launch}'s console without the LogManager, whose start looks through every jar for services. Only the
 * conversions the packaged format uses are known here: date, level, message, exception, newline; a format with any
 * other is left to the LogManager ({@link #of} is empty).
 */
final class ConsolePattern extends Formatter {

    /** JBoss's date pattern when {@code %d} names none. */
    private static final String DEFAULT_DATE = "yyyy-MM-dd HH:mm:ss,SSS";

    private final List<BiConsumer<LogRecord, StringBuilder>> steps;

    private ConsolePattern(List<BiConsumer<LogRecord, StringBuilder>> steps) {
        this.steps = steps;
    }

    /** The formatter for {@code pattern}, or empty when it uses a conversion only the LogManager knows. */
    static Optional<ConsolePattern> of(String pattern) {
        List<BiConsumer<LogRecord, StringBuilder>> steps = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i++);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            boolean left = i < pattern.length() && pattern.charAt(i) == '-';
            if (left) {
                i++;
            }
            int widthStart = i;
            while (i < pattern.length() && Character.isDigit(pattern.charAt(i))) {
                i++;
            }
            int width = i > widthStart ? Integer.parseInt(pattern.substring(widthStart, i)) : 0;
            if (i >= pattern.length()) {
                return Optional.empty();
            }
            char conversion = pattern.charAt(i++);
            String argument = null;
            if (i < pattern.length() && pattern.charAt(i) == '{') {
                int end = pattern.indexOf('}', i);
                if (end < 0) {
                    return Optional.empty();
                }
                argument = pattern.substring(i + 1, end);
                i = end + 1;
            }
            if (conversion == '%' && !left && width == 0 && argument == null) {
                literal.append('%');
                continue;
            }
            if (conversion != 'p' && (left || width > 0) || conversion != 'd' && argument != null) {
                return Optional.empty();
            }
            BiConsumer<LogRecord, StringBuilder> step = switch (conversion) {
                case 'd' -> date(argument == null ? DEFAULT_DATE : argument);
                case 'p' -> level(left, width);
                case 's' -> (r, out) -> out.append(LogLine.message(r));
                case 'e' -> ConsolePattern::thrown;
                case 'n' -> (r, out) -> out.append(System.lineSeparator());
                default -> null;
            };
            if (step == null) {
                return Optional.empty();
            }
            if (literal.length() > 0) {
                String text = literal.toString();
                steps.add((r, out) -> out.append(text));
                literal.setLength(0);
            }
            steps.add(step);
        }
        if (literal.length() > 0) {
            String text = literal.toString();
            steps.add((r, out) -> out.append(text));
        }
        return Optional.of(new ConsolePattern(List.copyOf(steps)));
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder out = new StringBuilder(128);
        for (BiConsumer<LogRecord, StringBuilder> step : steps) {
            step.accept(record, out);
        }
        return out.toString();
    }

    /**
     * Local time as the LogManager prints it, from the host's {@link TimeZone} offset at that instant: java.time's
     * zone rules would look through every jar for a rules provider first. Only numeric fields (year to
     * milliseconds) are known here; a pattern naming a zone or a month's name is left to the LogManager.
     */
    private static BiConsumer<LogRecord, StringBuilder> date(String pattern) {
        String letters = pattern.replace("SSS", "").replaceAll("[^A-Za-z]", "");
        if (!letters.chars().allMatch(c -> "yMdHms".indexOf(c) >= 0) || pattern.contains("MMM")
                || pattern.indexOf('\'') >= 0) {
            return null;
        }
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern);
        TimeZone zone = TimeZone.getDefault();
        return (r, out) -> {
            Instant at = r.getInstant();
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(zone.getOffset(at.toEpochMilli()) / 1000);
            formatter.formatTo(LocalDateTime.ofEpochSecond(at.getEpochSecond(), at.getNano(), offset), out);
        };
    }

    private static BiConsumer<LogRecord, StringBuilder> level(boolean left, int width) {
        return (r, out) -> {
            String name = LogLine.levelName(r);
            int pad = Math.max(0, width - name.length());
            if (!left) {
                out.append(" ".repeat(pad));
            }
            out.append(name);
            if (left) {
                out.append(" ".repeat(pad));
            }
        };
    }

    /** As JBoss prints {@code %e}: a colon, then the trace as the JVM prints it. */
    private static void thrown(LogRecord r, StringBuilder out) {
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            out.append(": ").append(trace);
        }
    }
}
