package org.gitopssync;

import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * A log record whose level keeps java.util.logging's own {@link Level} (SEVERE, WARNING, INFO, FINE, FINER) but prints
 * under the name JBoss LogManager gives it (ERROR, WARN, INFO, DEBUG, TRACE), as Quarkus prints it: a level object
 * of its own name would be a subclass of {@link Level}, whose first instance costs a one-shot command's start ~8 ms.
 */
public final class LogLine extends LogRecord {

    private static final long serialVersionUID = 1L;
    /** {@link Formatter#formatMessage} is an instance method that reads no state. */
    private static final Formatter MESSAGES = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return formatMessage(record);
        }
    };

    private final String levelName;

    /** A line of a level of {@code value} (java.util.logging's scale: INFO is 800), named {@code levelName}. */
    public LogLine(int value, String levelName, String category, String message, Throwable thrown) {
        super(standardLevel(value), message);
        this.levelName = levelName;
        setLoggerName(category);
        setThrown(thrown);
    }

    private static Level standardLevel(int value) {
        if (value >= Level.SEVERE.intValue()) {
            return Level.SEVERE;
        } else if (value >= Level.WARNING.intValue()) {
            return Level.WARNING;
        } else if (value >= Level.INFO.intValue()) {
            return Level.INFO;
        } else if (value >= Level.CONFIG.intValue()) {
            return Level.CONFIG;
        } else if (value >= Level.FINE.intValue()) {
            return Level.FINE;
        } else if (value >= Level.FINER.intValue()) {
            return Level.FINER;
        }
        return Level.FINEST;
    }

    /**
     * A record's message as the console prints it: JBoss LogManager's records format their own, any other gets its
     * parameters (and resource bundle) filled in as java.util.logging's formatters do.
     */
    public static String message(LogRecord record) {
        return record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : MESSAGES.formatMessage(record);
    }

    /** The level's name as the console prints it. */
    public static String levelName(LogRecord record) {
        return record instanceof LogLine line ? line.levelName : record.getLevel().getName();
    }
}
