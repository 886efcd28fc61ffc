package org.gitopssync.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging's configuration in a one-shot command with its own console ({@link ConsoleStream}): named by
 * {@code java.util.logging.config.class}, so it runs only if something uses java.util.logging (the JDK's own
 * loggers, a few libraries), when its manager starts. It puts the console on the root logger and each category's
 * threshold on its logger, in place of the JDK's default console handler. Public, with a public constructor:
 * java.util.logging instantiates it by name.
 */
public final class JulConsole {

    /** java.util.logging holds its loggers weakly: the configured ones are kept here so they keep their levels. */
    private static final List<Logger> CONFIGURED = new ArrayList<>();
    /** Set once the console is on the root: a second reading of the configuration must not add it again. */
    private static boolean done;

    public JulConsole() {
        ConsoleStream console = ConsoleStream.installed().orElse(null);
        if (console == null) {
            return;
        }
        synchronized (CONFIGURED) {
            if (done) {
                return;
            }
            done = true;
            for (Map.Entry<String, Integer> e : console.thresholds().entrySet()) {
                Logger logger = Logger.getLogger(e.getKey());
                logger.setLevel(Level.parse(Integer.toString(e.getValue())));
                CONFIGURED.add(logger);
            }
        }
        Logger.getLogger("").addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                console.publish(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }
}
