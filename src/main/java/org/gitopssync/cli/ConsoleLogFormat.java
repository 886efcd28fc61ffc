package org.gitopssync.cli;

import java.util.logging.Handler;
import java.util.logging.Logger;
import org.gitopssync.config.LogSettings;
import org.jboss.logmanager.ExtHandler;

/**
 * Applies {@code [log] format}, once the configuration is read, to a one-shot command's console ({@link ConsoleStream})
 * or to the console handler Quarkus or JBoss LogManager set up.
 */
final class ConsoleLogFormat {

    private ConsoleLogFormat() {
    }

    static void apply(LogSettings settings) {
        if (settings.format() != LogSettings.Format.JSON) {
            return;
        }
        ConsoleStream.installed().ifPresentOrElse(console -> console.useFormat(new JsonLogFormatter()), () -> {
            for (Handler h : Logger.getLogger("").getHandlers()) {
                useJson(h);
            }
        });
    }

    /** Quarkus wraps its handlers (delayed, async): the formatter belongs to the innermost ones. */
    private static void useJson(Handler h) {
        Handler[] nested = h instanceof ExtHandler ext ? ext.getHandlers() : new Handler[0];
        if (nested.length == 0) {
            if (h.getFormatter() != null) {
                h.setFormatter(new JsonLogFormatter());
            }
            return;
        }
        for (Handler n : nested) {
            useJson(n);
        }
    }
}
