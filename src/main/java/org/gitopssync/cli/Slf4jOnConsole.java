package org.gitopssync.cli;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gitopssync.LogLine;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LocationAwareLogger;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * slf4j (JGit, sqlite-jdbc, and jboss-logging, whose provider is set to slf4j) straight onto {@link ConsoleLog}'s
 * console ({@link ConsoleStream}), without a log manager: named by the {@code slf4j.provider} property, so slf4j does
 * not look through every jar for a provider. Lines carry the level names JBoss's slf4j binding gives them
 * (jboss-logging passes FATAL as ERROR). Public, with a public constructor: slf4j instantiates it by name.
 */
public final class Slf4jOnConsole implements SLF4JServiceProvider {

    private final Map<String, ConsoleLogger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, ConsoleLogger::new);
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
        // nothing to start: each logger finds the console when it first writes
    }

    /**
     * Location-aware, so that jboss-logging hands over its TRACE as TRACE (its plain slf4j logger passes it as
     * DEBUG); no line here prints its caller's location.
     */
    private static final class ConsoleLogger extends LegacyAbstractLogger implements LocationAwareLogger {

        private static final long serialVersionUID = 1L;

        /** The console {@link ConsoleLog} installs, once there is one: until then lines are dropped. */
        private transient volatile ConsoleStream console;

        ConsoleLogger(String name) {
            this.name = name;
        }

        @Override
        public boolean isTraceEnabled() {
            return enabled(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return enabled(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return enabled(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return enabled(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return enabled(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
                Object[] arguments, Throwable thrown) {
            publish(level, MessageFormatter.basicArrayFormat(pattern, arguments), thrown);
        }

        @Override
        public void log(Marker marker, String fqcn, int level, String message, Object[] arguments, Throwable thrown) {
            Level l = Level.intToLevel(level);
            if (enabled(l)) {
                publish(l, MessageFormatter.basicArrayFormat(message, arguments), thrown);
            }
        }

        private boolean enabled(Level level) {
            ConsoleStream c = console();
            return c != null && c.isLoggable(name, value(level));
        }

        private void publish(Level level, String message, Throwable thrown) {
            ConsoleStream c = console();
            if (c != null) {
                c.publish(new LogLine(value(level), level.name(), name, message, thrown));
            }
        }

        private ConsoleStream console() {
            ConsoleStream c = console;
            if (c == null) {
                c = ConsoleStream.installed().orElse(null);
                console = c;
            }
            return c;
        }

        private static int value(Level level) {
            return switch (level) {
                case ERROR -> LevelThresholds.ERROR;
                case WARN -> LevelThresholds.WARN;
                case INFO -> LevelThresholds.INFO;
                case DEBUG -> LevelThresholds.DEBUG;
                case TRACE -> LevelThresholds.TRACE;
            };
        }
    }
}
