package org.gitopssync.cli;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * slf4j (JGit, sqlite-jdbc) onto java.util.logging, for {@link ConsoleLog} without the LogManager: named by the
 * {@code slf4j.provider} property, so slf4j does not look through every jar for a provider. Records carry the level
 * names JBoss's slf4j binding gives them. Public, with a public constructor: slf4j instantiates it by name.
 */
public final class Slf4jOnJul implements SLF4JServiceProvider {

    private final Map<String, JulLogger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, JulLogger::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to start: the console is set up before anything logs
    }

    private static final class JulLogger extends LegacyAbstractLogger {

        private static final long serialVersionUID = 1L;

        /** Held here: java.util.logging keeps its loggers only weakly. */
        private final transient Logger jul;

        JulLogger(String name) {
            this.name = name;
            this.jul = Logger.getLogger(name);
        }

        @Override
        public boolean isTraceEnabled() {
            return jul.isLoggable(ConsoleLevels.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return jul.isLoggable(ConsoleLevels.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return jul.isLoggable(ConsoleLevels.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return jul.isLoggable(ConsoleLevels.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return jul.isLoggable(ConsoleLevels.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
                Object[] arguments, Throwable thrown) {
            LogRecord r = new LogRecord(julLevel(level), MessageFormatter.basicArrayFormat(pattern, arguments));
            r.setLoggerName(name);
            r.setThrown(thrown);
            jul.log(r);
        }

        private static ConsoleLevels julLevel(Level level) {
            return switch (level) {
                case ERROR -> ConsoleLevels.ERROR;
                case WARN -> ConsoleLevels.WARN;
                case INFO -> ConsoleLevels.INFO;
                case DEBUG -> ConsoleLevels.DEBUG;
                case TRACE -> ConsoleLevels.TRACE;
            };
        }
    }
}
