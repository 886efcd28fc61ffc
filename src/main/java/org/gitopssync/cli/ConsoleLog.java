package org.gitopssync.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * The console log Quarkus sets up, for {@link Launch}: read from the same {@code quarkus.log.*} keys of
 * application.properties (levels per category, the console's format and stream), with {@code -Dquarkus.log.*} system
 * properties overriding them as they do under Quarkus.
 *
 * <p>When the format and levels are ones {@link ConsolePattern} and {@link LevelThresholds} know (the packaged ones
 * are), jboss-logging's lines go through its slf4j provider and slf4j's straight to the console
 * ({@link Slf4jOnConsole}, {@link ConsoleStream}), with no log manager: JBoss LogManager, java.util.logging's own
 * manager, jboss-logging and slf4j each look through every jar of the class path for services when they start, and a
 * one-shot command (a timer's no-op {@code sync --once}) is mostly start-up. java.util.logging starts only if
 * something uses it, with the same console ({@link JulConsole}). Any other format or level name gets JBoss LogManager,
 * as under Quarkus.
 */
final class ConsoleLog {

    private static final String PREFIX = "quarkus.log.";
    private static final Pattern CATEGORY_LEVEL = Pattern.compile("quarkus\\.log\\.category\\.\"?([^\"]+)\"?\\.level");
    private static final String FORMAT = "quarkus.log.console.format";
    private static final String DEFAULT_FORMAT = "%d{HH:mm:ss,SSS} %-5p [%c{3.}] %s%e%n";

    private ConsoleLog() {
    }

    /** Sets up the console before anything logs. */
    static void install() {
        Properties keys = keys();
        Optional<ConsolePattern> format = ConsolePattern.of(keys.getProperty(FORMAT, DEFAULT_FORMAT));
        Optional<Map<String, Integer>> levels = thresholds(keys);
        if (format.isPresent() && levels.isPresent()) {
            installPlain(keys, format.get(), levels.get());
        } else {
            installLogManager(keys);
        }
    }

    private static void installPlain(Properties keys, ConsolePattern format, Map<String, Integer> levels) {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.setProperty("slf4j.provider", Slf4jOnConsole.class.getName());
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            // slf4j announces a provider named by property on stderr; its warnings still show
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        ConsoleStream.install(stderr(keys) ? System.err : System.out, format, levels);
    }

    /** The root's level ({@code ""}) and each category's, or empty if a name is one only the LogManager would judge. */
    private static Optional<Map<String, Integer>> thresholds(Properties keys) {
        Map<String, Integer> levels = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : levelNames(keys).entrySet()) {
            Optional<Integer> level = LevelThresholds.of(e.getValue());
            if (level.isEmpty()) {
                return Optional.empty();
            }
            levels.put(e.getKey(), level.get());
        }
        return Optional.of(levels);
    }

    /** The level names the keys give: the root's ({@code ""}) first, then each category's. */
    private static Map<String, String> levelNames(Properties keys) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("", keys.getProperty("quarkus.log.level", "INFO"));
        for (String key : keys.stringPropertyNames()) {
            Matcher m = CATEGORY_LEVEL.matcher(key);
            if (m.matches()) {
                names.put(m.group(1), keys.getProperty(key));
            }
        }
        return names;
    }

    private static boolean stderr(Properties keys) {
        return Boolean.parseBoolean(keys.getProperty("quarkus.log.console.stderr", "false"));
    }

    private static void installLogManager(Properties keys) {
        // before anything logs: jboss-logging and JGit's slf4j binding then write through JBoss LogManager, as under Quarkus
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        LogContext context = LogContext.getLogContext();
        levelNames(keys).forEach((category, name) -> context.getLogger(category).setLevel(level(context, name)));
        Logger root = context.getLogger("");
        ConsoleHandler console = new ConsoleHandler(
                stderr(keys) ? ConsoleHandler.Target.SYSTEM_ERR : ConsoleHandler.Target.SYSTEM_OUT,
                new PatternFormatter(keys.getProperty(FORMAT, DEFAULT_FORMAT)));
        // Quarkus's boot jar installs a handler that holds records until logging is configured: hand it the console,
        // as Quarkus does (ConsoleLogFormat finds the console inside it); without that jar the console goes on root
        Handler[] handlers = root.getHandlers();
        if (handlers.length == 1 && handlers[0] instanceof ExtHandler delayed) {
            delayed.setHandlers(new Handler[] {console});
        } else {
            root.addHandler(console);
        }
    }

    /** application.properties without profile keys ({@code %test.}), then {@code -Dquarkus.log.*} over it. */
    private static Properties keys() {
        Properties file = new Properties();
        try (InputStream in = ConsoleLog.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                file.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties keys = new Properties();
        for (String key : file.stringPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                keys.setProperty(key, file.getProperty(key));
            }
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                keys.setProperty(key, System.getProperty(key));
            }
        }
        return keys;
    }

    private static Level level(LogContext context, String name) {
        return context.getLevelForName(name.strip().toUpperCase(Locale.ROOT));
    }
}
