package org.gitopssync.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.gitopssync.config.toml.Toml;
import org.gitopssync.config.toml.TomlArray;
import org.gitopssync.config.toml.TomlParseException;
import org.gitopssync.config.toml.TomlPosition;
import org.gitopssync.config.toml.TomlTable;

/**
 * One table of the configuration file with typed, position-aware accessors. Every accessor
 * records its key as known, so that whatever is left over can be reported as a likely typo, and
 * consults the {@code GITOPS_<SECTION>_<KEY>} environment override first.
 */
public final class ConfigSection {

    private final ConfigSource source;
    private final TomlTable table;
    private final String path;
    private final String envPrefix;
    /** Where the table came from when not the file: {@code environment GITOPS_WEB}; null for the file. */
    private final String origin;
    private final Set<String> known = new LinkedHashSet<>();

    ConfigSection(ConfigSource source, TomlTable table, String path, String envPrefix) {
        this(source, table, path, envPrefix, null);
    }

    private ConfigSection(ConfigSource source, TomlTable table, String path, String envPrefix, String origin) {
        this.source = source;
        this.table = table;
        this.path = path;
        this.envPrefix = envPrefix;
        this.origin = origin;
    }

    /** The dotted name of a key in this section, as users write it in messages. */
    public String keyName(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        return table != null && table.contains(key) || override(key) != null;
    }

    public String string(String key, String fallback) {
        known.add(key);
        String env = override(key);
        if (env != null) {
            String problem = lineProblem(env);
            if (problem != null) {
                throw envError(key, problem);
            }
            return env;
        }
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw error(key, "expected a string, got " + typeName(v));
        }
        String problem = lineProblem(s);
        if (problem != null) {
            throw error(key, problem);
        }
        return s;
    }

    /**
     * Every setting is one line (a URL, a path, a word, a command argument): a newline or other control character
     * would split log lines, nix.conf options or command arguments, so it is refused rather than passed on.
     */
    private static String lineProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r') {
                return "must be one line, but contains a line break at character " + (i + 1);
            }
            if (c != '\t' && Character.isISOControl(c)) {
                return "contains the control character " + String.format("U+%04X", (int) c) + " at character "
                        + (i + 1);
            }
        }
        return null;
    }

    /** An identifier written either as a string or as a bare integer ({@code app_id = 12345}). */
    public String stringOrInteger(String key, String fallback) {
        if (override(key) == null && raw(key) instanceof Long number) {
            known.add(key);
            if (number <= 0) {
                throw error(key, "expected a positive integer or a string, got " + number);
            }
            return Long.toString(number);
        }
        return string(key, fallback);
    }

    public String requiredString(String key) {
        String v = string(key, null);
        if (v == null || v.isBlank()) {
            throw new ConfigException(source.file() + ": " + keyName(key) + ": required but not set");
        }
        return v;
    }

    public boolean bool(String key, boolean fallback) {
        known.add(key);
        String env = override(key);
        if (env != null) {
            switch (env.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1", "on": return true;
                case "false", "no", "0", "off": return false;
                default: throw envError(key, "expected true or false, got \"" + env + "\"");
            }
        }
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw error(key, "expected true or false, got " + typeName(v));
        }
        return b;
    }

    public int integer(String key, int fallback, int min, int max) {
        known.add(key);
        String env = override(key);
        long value;
        if (env != null) {
            try {
                value = Long.parseLong(env.trim());
            } catch (NumberFormatException e) {
                throw envError(key, "expected an integer, got \"" + env + "\"");
            }
        } else {
            Object v = raw(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Long l)) {
                throw error(key, "expected an integer, got " + typeName(v));
            }
            value = l;
        }
        if (value < min || value > max) {
            String msg = "expected an integer from " + min + " to " + max + ", got " + value;
            throw env != null ? envError(key, msg) : error(key, msg);
        }
        return (int) value;
    }

    /** A systemd time span ({@code "90s"}, {@code "5min"}) or a bare integer of seconds. */
    public Duration duration(String key, Duration fallback) {
        return duration(key, fallback, SystemdDuration.MAX);
    }

    /** As {@link #duration(String, Duration)}, for a setting whose longest sensible value is {@code max}. */
    public Duration duration(String key, Duration fallback, Duration max) {
        Object v = override(key) == null ? raw(key) : null;
        if (v instanceof Long seconds) {
            known.add(key);
            try {
                return SystemdDuration.ofSeconds(seconds, max);
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage());
            }
        }
        String text = string(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            return SystemdDuration.parse(text, max);
        } catch (IllegalArgumentException e) {
            throw override(key) != null ? envError(key, e.getMessage()) : error(key, e.getMessage());
        }
    }

    public Path path(String key, Path fallback) {
        String s = string(key, null);
        return s == null || s.isEmpty() ? fallback : Path.of(s);
    }

    public List<String> strings(String key, List<String> fallback) {
        known.add(key);
        String env = override(key);
        if (env != null) {
            List<String> out = new ArrayList<>();
            for (String part : env.split(",")) {
                if (lineProblem(part.trim()) != null) {
                    throw envError(key, lineProblem(part.trim()));
                }
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return List.copyOf(out);
        }
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof String s) {
            // A bare string where a list belongs is usually a command line or names run together ("a b"): refuse it.
            throw error(key, "expected a list of strings like [\"" + s.strip().split("[\\s,]+", 2)[0]
                    + "\"], got a string");
        }
        if (!(v instanceof TomlArray array)) {
            throw error(key, "expected a list of strings, got " + typeName(v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof String s)) {
                throw error(key, "expected a list of strings, element " + i + " is " + typeName(array.get(i)));
            }
            String problem = lineProblem(s);
            if (problem != null) {
                throw error(key, "element " + i + " " + problem);
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** A list of strings, or one of {@code words} written as a bare string (as {@code ci.hosts = "all"}). */
    public List<String> wordOrStrings(String key, Set<String> words, List<String> fallback) {
        if (override(key) == null && raw(key) instanceof String s) {
            known.add(key);
            if (!words.contains(s)) {
                throw error(key, "expected " + String.join(" or ", words.stream().sorted().map(w -> "\"" + w + "\"")
                        .toList()) + " or a list of strings, got \"" + s + "\"");
            }
            return List.of(s);
        }
        return strings(key, fallback);
    }

    /** A list of argument lists such as {@code [["curl", "-fsS", "url"]]}: each inner list one command, none empty. */
    public List<List<String>> commandLists(String key) {
        known.add(key);
        String env = override(key);
        Object v = env != null ? inlineValue(key, env, "an inline array of arrays, e.g. [[\"true\"]]") : raw(key);
        if (v == null) {
            return List.of();
        }
        String expected = "expected a list of commands, each a list of strings, e.g. [[\"curl\", \"-fsS\", \"http://127.0.0.1/\"]]";
        if (!(v instanceof TomlArray array)) {
            throw error(key, expected + ", got " + typeName(v));
        }
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof TomlArray inner) || inner.isEmpty()) {
                throw error(key, expected + "; element " + i + " is not a non-empty list");
            }
            List<String> argv = new ArrayList<>();
            for (int j = 0; j < inner.size(); j++) {
                if (!(inner.get(j) instanceof String s)) {
                    throw error(key, expected + "; element " + i + " has a " + typeName(inner.get(j)));
                }
                argv.add(s);
            }
            out.add(List.copyOf(argv));
        }
        return List.copyOf(out);
    }

    /** One of a fixed set of lower-case words, e.g. {@code deploy.method}. */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (wordOf(e).equals(v)) {
                return e;
            }
        }
        List<String> words = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            words.add("\"" + wordOf(e) + "\"");
        }
        String msg = "expected one of " + String.join(", ", words) + ", got \"" + v + "\"";
        throw override(key) != null ? envError(key, msg) : error(key, msg);
    }

    /** The config spelling of an enum constant: {@code NIXOS_REBUILD} is {@code nixos-rebuild}. */
    public static String wordOf(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * A credential source: {@code { env = "NAME" }}, {@code { env = ["A", "B"] }},
     * {@code { file = "/path" }}, {@code { systemd-credential = "name" }},
     * {@code { vault = "mount/path#field" }} or {@code "none"}. An inline value is refused.
     */
    public CredentialSource credential(String key, CredentialSource fallback) {
        known.add(key);
        String env = override(key);
        if (env != null) {
            return CredentialSources.fromOverride(env, msg -> envError(key, msg));
        }
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof String s) {
            if (s.equals("none")) {
                return CredentialSource.none();
            }
            throw error(key, "inline secret values are not allowed; use { env = \"NAME\" }, "
                    + "{ file = \"/path\" }, { systemd-credential = \"name\" }, { vault = \"path#field\" } or \"none\"");
        }
        if (!(v instanceof TomlTable t)) {
            throw error(key, "expected a credential source table, got " + typeName(v));
        }
        return CredentialSources.fromTable(t, msg -> error(key, msg));
    }

    /**
     * A nested table such as {@code [repository.ssh]}; absent tables read as empty. The environment
     * can replace the whole table with an inline TOML table ({@code GITOPS_NIX_OPTIONS='{ cores = "2" }'});
     * per-key variables ({@code GITOPS_WEB_PORT}) still apply on top.
     */
    public ConfigSection section(String key) {
        known.add(key);
        String env = override(key);
        Object v = env != null ? inlineValue(key, env, "an inline table, e.g. { key = \"value\" }") : raw(key);
        if (v != null && !(v instanceof TomlTable)) {
            throw env != null ? envError(key, "expected an inline table, e.g. { key = \"value\" }, got " + typeName(v))
                    : error(key, "expected a table, got " + typeName(v));
        }
        String childEnv = envPrefix == null ? null : envPrefix + envWord(key) + "_";
        ConfigSection child = new ConfigSection(source, (TomlTable) v, keyName(key), childEnv,
                env != null ? "environment " + envName(key) : origin);
        source.register(child);
        return child;
    }

    /**
     * An array of tables such as {@code [[caches]]}; no per-key environment overrides reach inside,
     * but the environment can replace the whole array with an inline TOML array of tables
     * ({@code GITOPS_CACHES='[{ id = "a", type = "nix-copy", ... }]'}).
     */
    public List<ConfigSection> sections(String key) {
        known.add(key);
        String env = override(key);
        Object v = env != null ? inlineValue(key, env, "an inline array of tables, e.g. [{ key = \"value\" }]") : raw(key);
        if (v == null) {
            return List.of();
        }
        boolean tables = v instanceof TomlArray a
                && IntStream.range(0, a.size()).allMatch(i -> a.get(i) instanceof TomlTable);
        if (!tables) {
            throw env != null ? envError(key, "expected an inline array of tables, e.g. [{ key = \"value\" }], got "
                    + typeName(v)) : error(key, "expected an array of tables ([[" + keyName(key) + "]]), got " + typeName(v));
        }
        TomlArray array = (TomlArray) v;
        List<ConfigSection> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            ConfigSection child = new ConfigSection(source, (TomlTable) array.get(i), keyName(key) + "[" + i + "]", null,
                    env != null ? "environment " + envName(key) : origin);
            source.register(child);
            out.add(child);
        }
        return out;
    }

    /** A validation failure about a key that was read from this section. */
    public ConfigException error(String key, String message) {
        return new ConfigException(where(key) + ": " + keyName(key) + ": " + message);
    }

    /** {@code file:line} of a key, or the environment variable the table came from. */
    String where(String key) {
        if (origin != null) {
            return origin;
        }
        TomlPosition pos = positionOf(key);
        return pos == null ? source.file() : source.file() + ":" + pos.line();
    }

    /** A table or array given in the environment, written as a TOML value. */
    private Object inlineValue(String key, String text, String expected) {
        try {
            return Toml.parseValue(text);
        } catch (TomlParseException e) {
            throw envError(key, "expected " + expected + " (TOML syntax): " + e.getMessage());
        }
    }

    private ConfigException envError(String key, String message) {
        return new ConfigException("environment " + envName(key) + ": " + keyName(key) + ": " + message);
    }

    private Object raw(String key) {
        return table == null ? null : table.get(key);
    }

    private String override(String key) {
        return envPrefix == null ? null : source.environment().get(envName(key));
    }

    String envName(String key) {
        return envPrefix == null ? null : envPrefix + envWord(key);
    }

    private static String envWord(String key) {
        return key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    Set<String> knownKeys() {
        return known;
    }

    Set<String> presentKeys() {
        return table == null ? Set.of() : table.keySet();
    }

    TomlPosition positionOf(String key) {
        return table == null ? null : table.positionOf(key);
    }

    String path() {
        return path;
    }

    String envPrefix() {
        return envPrefix;
    }

    static String typeName(Object v) {
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Long) {
            return "an integer";
        }
        if (v instanceof Double) {
            return "a float";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof TomlArray) {
            return "an array";
        }
        if (v instanceof TomlTable) {
            return "a table";
        }
        return "a date/time";
    }

    /** Shared state of one loading pass: file name, environment and every section created. */
    interface ConfigSource {
        String file();

        Map<String, String> environment();

        void register(ConfigSection section);
    }
}
