package org.gitopssync.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The console handler of {@link ConsoleLog} without the LogManager: each line written and flushed whole. */
final class ConsoleStream extends Handler {

    /** java.util.logging holds its loggers weakly: the configured ones are kept here so they keep their levels. */
    private static final List<Logger> CONFIGURED = new ArrayList<>();

    private final PrintStream out;

    ConsoleStream(PrintStream out, ConsolePattern format) {
        this.out = out;
        setFormatter(format);
    }

    /** java.util.logging's own manager with the given levels ({@code ""} is the root) and this console on the root. */
    static void install(PrintStream out, ConsolePattern format, Map<String, Level> levels) {
        // no handlers from the JDK's logging.properties: this console is the only one
        LogManager.getLogManager().reset();
        for (Map.Entry<String, Level> e : levels.entrySet()) {
            Logger logger = Logger.getLogger(e.getKey());
            logger.setLevel(e.getValue());
            CONFIGURED.add(logger);
        }
        // jboss-logmanager's System.LoggerFinder (a service of its jar, so the JDK's own loggers, e.g. of its HTTP
        // clients, go through it) says once, on the first such logger, that java.util.logging is not its LogManager:
        // here that is deliberate, so the first one is taken before the console is there to print the complaint
        System.getLogger(ConsoleStream.class.getName());
        Logger.getLogger("").addHandler(new ConsoleStream(out, format));
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String line = getFormatter().format(record);
        synchronized (out) {
            out.print(line);
            out.flush();
        }
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
