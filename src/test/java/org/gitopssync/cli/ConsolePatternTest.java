package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.TimeZone;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.gitopssync.LogLine;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.Test;

/**
 * A one-shot command's console prints each line exactly as Quarkus's (JBoss LogManager's pattern formatter) does for
 * the same format, and leaves a format it does not know to the LogManager.
 */
class ConsolePatternTest {

    private static final String PACKAGED = "%d{yyyy-MM-dd HH:mm:ss} %-5p %s%e%n";
    private static final Instant AT = Instant.parse("2026-03-29T01:30:05.123Z");

    @Test
    void printsLinesAsTheLogManagerDoes() {
        for (String zone : List.of("UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kolkata")) {
            TimeZone host = TimeZone.getDefault();
            // both take the host's zone when built; AT is just after Berlin's switch to summer time
            TimeZone.setDefault(TimeZone.getTimeZone(zone));
            try {
                printsLinesAsTheLogManagerDoesIn(zone);
            } finally {
                TimeZone.setDefault(host);
            }
        }
    }

    private void printsLinesAsTheLogManagerDoesIn(String zone) {
        List<String> formats = List.of(PACKAGED, "%d %5p %s%n", "%d{HH:mm:ss,SSS} [%-7p] %s%e%n", "100%% %s%e%n");
        List<Level> levels = List.of(ConsoleLevels.INFO, ConsoleLevels.WARN, ConsoleLevels.ERROR, ConsoleLevels.DEBUG,
                Level.SEVERE, Level.FINE);
        for (String format : formats) {
            ConsolePattern lean = ConsolePattern.of(format).orElseThrow();
            PatternFormatter jboss = new PatternFormatter(format);
            for (Level level : levels) {
                for (Throwable thrown : new Throwable[] {null, failure()}) {
                    assertThat(lean.format(plain(level, "cycle 3: unchanged", thrown)))
                            .as(zone + " " + format + " " + level + " " + thrown)
                            .isEqualTo(jboss.format(ext(level, "cycle 3: unchanged", thrown)));
                }
            }
        }
    }

    @Test
    void printsTheLinesOfSlf4jAndJbossLoggingUnderJbossLevelNames() {
        // what Slf4jOnConsole hands the console: java.util.logging's own level, JBoss's name for it
        ConsolePattern lean = ConsolePattern.of(PACKAGED).orElseThrow();
        PatternFormatter jboss = new PatternFormatter(PACKAGED);
        List<Level> named = List.of(ConsoleLevels.ERROR, ConsoleLevels.WARN, ConsoleLevels.INFO, ConsoleLevels.DEBUG,
                ConsoleLevels.TRACE);
        for (Level level : named) {
            LogLine line = new LogLine(level.intValue(), level.getName(), "org.eclipse.jgit.Test", "fetched", null);
            line.setInstant(AT);
            assertThat(line.getLevel().getClass()).as("a level of java.util.logging's own").isEqualTo(Level.class);
            assertThat(lean.format(line)).isEqualTo(jboss.format(ext(level, "fetched", null)));
        }
    }

    @Test
    void leavesOtherConversionsToTheLogManager() {
        for (String format : List.of("%d{HH:mm:ss} [%c{3.}] %s%n", "%X{cycle} %s%n", "%d{yyyy-MM-dd HH:mm:ss z} %s%n",
                "%d{dd MMM yyyy} %s%n", "%-20s%n", "%s %")) {
            assertThat(ConsolePattern.of(format)).as(format).isEmpty();
        }
    }

    @Test
    void knowsTheLevelNamesTheLogManagerKnows() {
        assertThat(LevelThresholds.of(" warn ")).hasValue(900);
        assertThat(LevelThresholds.of("FATAL")).hasValue(1100);
        assertThat(LevelThresholds.of("finest")).hasValue(300);
        assertThat(LevelThresholds.of("LOUD")).isEmpty();
    }

    /** A cause, a suppressed failure and frames shared with the cause ("... n more"). */
    private static Throwable failure() {
        try {
            try {
                throw new IOException("disk full");
            } catch (IOException e) {
                UncheckedIOException outer = new UncheckedIOException("cannot write the cycle log", e);
                outer.addSuppressed(new IllegalStateException("lock not released"));
                throw outer;
            }
        } catch (UncheckedIOException e) {
            return e;
        }
    }

    private static LogRecord plain(Level level, String message, Throwable thrown) {
        LogRecord r = new LogRecord(level, message);
        r.setInstant(AT);
        r.setThrown(thrown);
        return r;
    }

    private static ExtLogRecord ext(Level level, String message, Throwable thrown) {
        ExtLogRecord r = new ExtLogRecord(level, message, ExtLogRecord.FormatStyle.NO_FORMAT, ConsolePatternTest.class.getName());
        r.setInstant(AT);
        r.setThrown(thrown);
        return r;
    }
}
