package org.gitopssync.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import org.gitopssync.LogTap;

/**
 * The console of {@link ConsoleLog} without a log manager: slf4j's records ({@link Slf4jOnConsole}, jboss-logging's
 * too) come straight here, each line written and flushed whole, and go on to the {@link LogTap} watchers. A category's
 * threshold is the nearest configured one among its dotted parents, as in java.util.logging's hierarchy. Should
 * anything use java.util.logging itself (the JDK's own loggers, a few libraries), it starts with this console on
 * its root ({@link JulConsole}).
 */
final class ConsoleStream implements LogTap.Source {

    private static volatile ConsoleStream installed;

    private final PrintStream out;
    private final Map<String, Integer> thresholds;
    private final Map<String, Integer> effective = new ConcurrentHashMap<>();
    private final List<Consumer<LogRecord>> watchers = new CopyOnWriteArrayList<>();
    private volatile Formatter format;

    ConsoleStream(PrintStream out, Formatter format, Map<String, Integer> thresholds) {
        this.out = out;
        this.format = format;
        this.thresholds = Map.copyOf(thresholds);
    }

    /** Makes this process's console the given one, with each category's threshold ({@code ""} is the root). */
    static void install(PrintStream out, Formatter format, Map<String, Integer> thresholds) {
        ConsoleStream console = new ConsoleStream(out, format, thresholds);
        installed = console;
        LogTap.use(console);
        System.setProperty("java.util.logging.config.class", JulConsole.class.getName());
    }

    /** The console {@link #install} set up, if this process has one. */
    static Optional<ConsoleStream> installed() {
        return Optional.ofNullable(installed);
    }

    /** Whether a record of {@code value} in {@code category} passes its threshold. */
    boolean isLoggable(String category, int value) {
        int threshold = threshold(category);
        return value >= threshold && threshold != LevelThresholds.OFF;
    }

    /** The category's own threshold, else its nearest configured parent's, else the root's. */
    int threshold(String category) {
        return effective.computeIfAbsent(category == null ? "" : category, name -> {
            String at = name;
            while (true) {
                Integer own = thresholds.get(at);
                if (own != null) {
                    return own;
                }
                if (at.isEmpty()) {
                    return LevelThresholds.INFO;
                }
                int dot = at.lastIndexOf('.');
                at = dot < 0 ? "" : at.substring(0, dot);
            }
        });
    }

    /** The configured thresholds ({@code ""} is the root). */
    Map<String, Integer> thresholds() {
        return thresholds;
    }

    /** Prints a record that passed its threshold, then hands it to the watchers. */
    void publish(LogRecord record) {
        String line = format.format(record);
        synchronized (out) {
            out.print(line);
            out.flush();
        }
        for (Consumer<LogRecord> w : watchers) {
            w.accept(record);
        }
    }

    /** Prints every line from now on with {@code formatter} ({@code [log] format}). */
    void useFormat(Formatter formatter) {
        format = formatter;
    }

    @Override
    public void attach(Consumer<LogRecord> watcher) {
        watchers.add(watcher);
    }

    @Override
    public void detach(Consumer<LogRecord> watcher) {
        watchers.remove(watcher);
    }
}
