package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.LogRecord;
import org.gitopssync.LogLine;
import org.junit.jupiter.api.Test;

/**
 * A one-shot command's console without a log manager judges each category by its nearest configured parent, as
 * java.util.logging's hierarchy does, prints each line whole, and hands every line to the watchers (a cycle's log).
 */
class ConsoleStreamTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private ConsoleStream console(Map<String, Integer> thresholds) {
        return new ConsoleStream(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ConsolePattern.of("%-5p %s%n").orElseThrow(), thresholds);
    }

    @Test
    void eachCategoryTakesItsNearestConfiguredThreshold() {
        Map<String, Integer> thresholds = new LinkedHashMap<>();
        thresholds.put("", LevelThresholds.INFO);
        thresholds.put("org.eclipse.jgit", LevelThresholds.WARN);
        thresholds.put("org.eclipse.jgit.transport", LevelThresholds.TRACE);
        thresholds.put("noisy", LevelThresholds.OFF);
        ConsoleStream c = console(thresholds);

        assertThat(c.isLoggable("org.gitopssync.reconcile.Reconciler", LevelThresholds.INFO)).isTrue();
        assertThat(c.isLoggable("org.gitopssync.reconcile.Reconciler", LevelThresholds.DEBUG)).isFalse();
        assertThat(c.isLoggable("org.eclipse.jgit.internal.storage.file.Pack", LevelThresholds.INFO)).isFalse();
        assertThat(c.isLoggable("org.eclipse.jgit.internal.storage.file.Pack", LevelThresholds.WARN)).isTrue();
        assertThat(c.isLoggable("org.eclipse.jgit.transport.FetchProcess", LevelThresholds.TRACE)).isTrue();
        // a name that only starts like a configured one is not under it
        assertThat(c.isLoggable("org.eclipse.jgitx.Other", LevelThresholds.DEBUG)).isFalse();
        assertThat(c.isLoggable("noisy.Thing", LevelThresholds.ERROR)).as("OFF lets nothing pass").isFalse();
        assertThat(c.isLoggable(null, LevelThresholds.INFO)).as("no category: the root's").isTrue();
    }

    @Test
    void printsEachLineAndHandsItToTheWatchersUntilTheyLeave() {
        ConsoleStream c = console(Map.of("", LevelThresholds.INFO));
        List<String> seen = new ArrayList<>();
        Consumer<LogRecord> watcher = r -> seen.add(LogLine.levelName(r) + " " + r.getMessage());
        c.attach(watcher);
        c.publish(new LogLine(LevelThresholds.WARN, "WARN", "org.gitopssync.Test", "disk almost full", null));
        c.detach(watcher);
        c.publish(new LogLine(LevelThresholds.INFO, "INFO", "org.gitopssync.Test", "cycle 2: unchanged", null));

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("WARN  disk almost full" + System.lineSeparator() + "INFO  cycle 2: unchanged"
                        + System.lineSeparator());
        assertThat(seen).containsExactly("WARN disk almost full");
    }

    @Test
    void aJsonFormatTakesOverFromTheNextLine() {
        ConsoleStream c = console(Map.of("", LevelThresholds.INFO));
        c.useFormat(new JsonLogFormatter());
        c.publish(new LogLine(LevelThresholds.ERROR, "ERROR", "org.gitopssync.Test", "cycle 4: build failed", null));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("\"level\":\"ERROR\"", "\"logger\":\"org.gitopssync.Test\"",
                "\"message\":\"cycle 4: build failed\"", "\"cycle\":4");
    }
}
