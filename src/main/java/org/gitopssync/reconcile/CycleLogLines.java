package org.gitopssync.reconcile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.gitopssync.LogLine;
import org.gitopssync.LogTap;
import org.jboss.logging.MDC;

/**
 * Keeps a cycle's own log lines (INFO and above from the cycle's thread: stage transitions, warnings, errors) in
 * its log file next to the output of the commands it ran, for {@code gitops-sync log}; at most {@link #MAX_LINES}.
 * They are the lines the console gets, which never carry a secret.
 */
final class CycleLogLines implements Consumer<LogRecord> {

    static final int MAX_LINES = 2000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final String cycle;
    private final Path file;
    private int lines;

    private CycleLogLines(long cycle, Path file) {
        this.cycle = Long.toString(cycle);
        this.file = file;
    }

    /** Starts keeping the lines of cycle {@code id} (logged on the thread where its MDC names it). */
    static CycleLogLines start(long id, Path file) {
        CycleLogLines lines = new CycleLogLines(id, file);
        LogTap.attach(lines);
        return lines;
    }

    @Override
    public synchronized void accept(LogRecord record) {
        if (record.getLevel().intValue() < Level.INFO.intValue() || !cycle.equals(String.valueOf(MDC.get("cycle")))
                || lines > MAX_LINES) {
            return;
        }
        String message = LogLine.message(record);
        String line = lines++ == MAX_LINES ? "(further lines of this cycle are not kept)\n"
                : TIME.format(record.getInstant()) + " " + String.format("%-5s", LogLine.levelName(record)) + " "
                        + message + "\n";
        try {
            Files.createDirectories(file.getParent());
            // one append per line: the commands writing their output to the same file do not tear it
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the console still has the line; a full disk must not fail the cycle
        }
    }

    /** Stops keeping lines. */
    void close() {
        LogTap.detach(this);
    }
}
