package org.gitopssync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Where the records a process logs can be watched besides its console (a cycle keeps its own lines in its log file):
 * java.util.logging's root logger, which the daemon's JBoss LogManager and every library log through, unless a
 * one-shot command's console, which writes without java.util.logging, takes its place ({@link #use}).
 */
public final class LogTap {

    /** What watchers attach to. */
    public interface Source {

        void attach(Consumer<LogRecord> watcher);

        void detach(Consumer<LogRecord> watcher);
    }

    private static volatile Source source = new RootLogger();

    private LogTap() {
    }

    /** Makes {@code watcher} receive every record from now on, whatever its level. */
    public static void attach(Consumer<LogRecord> watcher) {
        source.attach(watcher);
    }

    /** Stops {@code watcher} receiving records. */
    public static void detach(Consumer<LogRecord> watcher) {
        source.detach(watcher);
    }

    /**
     * Records go through {@code replacement} rather than java.util.logging: set once, before anything logs and before
     * any watcher attaches (watchers of the previous source stay with it).
     */
    public static void use(Source replacement) {
        source = replacement;
    }

    /** Each watcher as a handler of java.util.logging's root logger. */
    private static final class RootLogger implements Source {

        private final Map<Consumer<LogRecord>, Handler> handlers = new ConcurrentHashMap<>();

        @Override
        public void attach(Consumer<LogRecord> watcher) {
            Handler h = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    watcher.accept(record);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            handlers.put(watcher, h);
            Logger.getLogger("").addHandler(h);
        }

        @Override
        public void detach(Consumer<LogRecord> watcher) {
            Handler h = handlers.remove(watcher);
            if (h != null) {
                Logger.getLogger("").removeHandler(h);
            }
        }
    }
}
