package org.gitopssync.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
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
 */
final class ConsoleLog {

    private static final String PREFIX = "quarkus.log.";
    private static final Pattern CATEGORY_LEVEL = Pattern.compile("quarkus\\.log\\.category\\.\"?([^\"]+)\"?\\.level");

    private ConsoleLog() {
    }

    static void install() {
        Properties keys = keys();
        LogContext context = LogContext.getLogContext();
        Logger root = context.getLogger("");
        root.setLevel(level(context, keys.getProperty("quarkus.log.level", "INFO")));
        for (String key : keys.stringPropertyNames()) {
            Matcher m = CATEGORY_LEVEL.matcher(key);
            if (m.matches()) {
                context.getLogger(m.group(1)).setLevel(level(context, keys.getProperty(key)));
            }
        }
        ConsoleHandler console = new ConsoleHandler(
                Boolean.parseBoolean(keys.getProperty("quarkus.log.console.stderr", "false"))
                        ? ConsoleHandler.Target.SYSTEM_ERR : ConsoleHandler.Target.SYSTEM_OUT,
                new PatternFormatter(keys.getProperty("quarkus.log.console.format", "%d{HH:mm:ss,SSS} %-5p [%c{3.}] %s%e%n")));
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
