package org.gitopssync.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

/**
 * The level names JBoss LogManager knows (java.util.logging's and its own: FATAL, ERROR, WARN, DEBUG, TRACE) with its
 * values, for {@link ConsoleLog} without the LogManager; and the levels slf4j's records carry there, named as the
 * LogManager names them on the console.
 */
final class ConsoleLevels extends Level {

    private static final long serialVersionUID = 1L;

    static final ConsoleLevels ERROR = new ConsoleLevels("ERROR", 1000);
    static final ConsoleLevels WARN = new ConsoleLevels("WARN", 900);
    static final ConsoleLevels INFO = new ConsoleLevels("INFO", 800);
    static final ConsoleLevels DEBUG = new ConsoleLevels("DEBUG", 500);
    static final ConsoleLevels TRACE = new ConsoleLevels("TRACE", 400);

    private static final Map<String, Integer> VALUES = Map.ofEntries(Map.entry("OFF", Integer.MAX_VALUE),
            Map.entry("FATAL", 1100), Map.entry("SEVERE", 1000), Map.entry("ERROR", 1000), Map.entry("WARNING", 900),
            Map.entry("WARN", 900), Map.entry("INFO", 800), Map.entry("CONFIG", 700), Map.entry("DEBUG", 500),
            Map.entry("FINE", 500), Map.entry("FINER", 400), Map.entry("TRACE", 400), Map.entry("FINEST", 300),
            Map.entry("ALL", Integer.MIN_VALUE));

    private ConsoleLevels(String name, int value) {
        super(name, value);
    }

    /** The threshold a level name in the configuration stands for, or empty for a name the LogManager would refuse. */
    static Optional<Level> threshold(String name) {
        Integer value = VALUES.get(name.strip().toUpperCase(Locale.ROOT));
        return value == null ? Optional.empty() : Optional.of(Level.parse(Integer.toString(value)));
    }
}
