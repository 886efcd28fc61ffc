package org.gitopssync.cli;

import java.util.ResourceBundle;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The JDK's own loggers ({@link System.Logger}: its HTTP client's, for one) in a one-shot command: on
 * java.util.logging, as the JDK's default finder puts them, with the level names JBoss LogManager gives them. A
 * service of the app's jar, which is first on the one-shot class path, so it is found before JBoss LogManager's
 * finder, which would make JBoss LogManager java.util.logging's manager, past {@link ConsoleLog}'s console. Under
 * Quarkus (the daemon) the JDK does not see the app's jar and JBoss LogManager's finder serves. Public, with a
 * public constructor: a service.
 */
public final class ConsoleLoggerFinder extends System.LoggerFinder {

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new JulLogger(Logger.getLogger(name));
    }

    private static final class JulLogger implements System.Logger {

        private final Logger jul;

        JulLogger(Logger jul) {
            this.jul = jul;
        }

        @Override
        public String getName() {
            return jul.getName();
        }

        @Override
        public boolean isLoggable(System.Logger.Level level) {
            return jul.isLoggable(julLevel(level));
        }

        @Override
        public void log(System.Logger.Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (isLoggable(level)) {
                LogRecord r = record(level, bundle, message);
                r.setThrown(thrown);
                jul.log(r);
            }
        }

        @Override
        public void log(System.Logger.Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                LogRecord r = record(level, bundle, format);
                r.setParameters(params);
                jul.log(r);
            }
        }

        private LogRecord record(System.Logger.Level level, ResourceBundle bundle, String message) {
            LogRecord r = new LogRecord(julLevel(level), message);
            r.setLoggerName(jul.getName());
            r.setResourceBundle(bundle);
            return r;
        }
    }

    /** JBoss LogManager's levels for the JDK's, as its own finder maps them. */
    private static Level julLevel(System.Logger.Level level) {
        return switch (level) {
            case ALL -> Level.ALL;
            case TRACE -> ConsoleLevels.TRACE;
            case DEBUG -> ConsoleLevels.DEBUG;
            case INFO -> ConsoleLevels.INFO;
            case WARNING -> ConsoleLevels.WARN;
            case ERROR -> ConsoleLevels.ERROR;
            case OFF -> Level.OFF;
        };
    }
}
