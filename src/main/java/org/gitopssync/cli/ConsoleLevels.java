package org.gitopssync.cli;

import java.util.logging.Level;

/**
 * The levels JBoss LogManager names ERROR, WARN, INFO, DEBUG and TRACE, as java.util.logging levels, for what reaches
 * a one-shot command's console through java.util.logging: the JDK's own loggers ({@link ConsoleLoggerFinder}) print
 * the names they print under Quarkus. Loaded only then: the first instance of a level subclass costs a start ~8 ms.
 */
final class ConsoleLevels extends Level {

    private static final long serialVersionUID = 1L;

    static final ConsoleLevels ERROR = new ConsoleLevels("ERROR", LevelThresholds.ERROR);
    static final ConsoleLevels WARN = new ConsoleLevels("WARN", LevelThresholds.WARN);
    static final ConsoleLevels INFO = new ConsoleLevels("INFO", LevelThresholds.INFO);
    static final ConsoleLevels DEBUG = new ConsoleLevels("DEBUG", LevelThresholds.DEBUG);
    static final ConsoleLevels TRACE = new ConsoleLevels("TRACE", LevelThresholds.TRACE);

    private ConsoleLevels(String name, int value) {
        super(name, value);
    }
}
