package org.gitopssync.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The level names JBoss LogManager knows in a configuration (java.util.logging's and its own: FATAL, ERROR, WARN,
 * DEBUG, TRACE) with its values, for {@link ConsoleLog} without the LogManager. Values, not level objects: those of
 * the names java.util.logging does not know are subclasses of its {@code Level} ({@link ConsoleLevels}).
 */
final class LevelThresholds {

    static final int FATAL = 1100;
    static final int ERROR = 1000;
    static final int WARN = 900;
    static final int INFO = 800;
    static final int DEBUG = 500;
    static final int TRACE = 400;
    /** java.util.logging's own names in between. */
    static final int CONFIG = 700;
    static final int FINEST = 300;
    /** Nothing passes it. */
    static final int OFF = Integer.MAX_VALUE;

    private static final Map<String, Integer> VALUES = Map.ofEntries(Map.entry("OFF", OFF),
            Map.entry("FATAL", FATAL), Map.entry("SEVERE", ERROR), Map.entry("ERROR", ERROR),
            Map.entry("WARNING", WARN), Map.entry("WARN", WARN), Map.entry("INFO", INFO), Map.entry("CONFIG", CONFIG),
            Map.entry("DEBUG", DEBUG), Map.entry("FINE", DEBUG), Map.entry("FINER", TRACE), Map.entry("TRACE", TRACE),
            Map.entry("FINEST", FINEST), Map.entry("ALL", Integer.MIN_VALUE));

    private LevelThresholds() {
    }

    /** The threshold a level name in the configuration stands for, or empty for a name the LogManager would refuse. */
    static Optional<Integer> of(String name) {
        return Optional.ofNullable(VALUES.get(name.strip().toUpperCase(Locale.ROOT)));
    }
}
