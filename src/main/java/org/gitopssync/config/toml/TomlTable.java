package org.gitopssync.config.toml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A parsed TOML table: its keys in the order written, their values and where each key was written. */
public final class TomlTable {

    /** How a table came to exist; the redefinition rules of TOML depend on it. */
    enum Origin { ROOT, IMPLICIT, HEADER, DOTTED, INLINE }

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, TomlPosition> positions = new HashMap<>();
    /** The table this one is a value of (for a table in an array, the array's table); null for the root. */
    TomlTable parent;
    /** This table's key in {@link #parent} (for a table in an array, the array's key); null until it has one. */
    String key;
    Origin origin;
    /** Where the table was defined: its header, its first dotted key or its opening brace. */
    TomlPosition definedAt;
    /** The table section (or inline table) that dotted keys created it in: only that one may extend it. */
    int section;

    TomlTable(TomlTable parent, String key, Origin origin, TomlPosition definedAt, int section) {
        this.parent = parent;
        this.key = key;
        this.origin = origin;
        this.definedAt = definedAt;
        this.section = section;
    }

    /**
     * The dotted name of the table from the root, for messages. Worked out when asked for: each table holding its
     * whole name would cost the square of a key's length, which a hostile document could make large.
     */
    String name() {
        List<String> parts = new ArrayList<>();
        for (TomlTable t = this; t != null && t.key != null; t = t.parent) {
            parts.add(t.key);
        }
        StringBuilder out = new StringBuilder();
        for (int i = parts.size() - 1; i >= 0; i--) {
            appendPart(out, parts.get(i));
        }
        return brief(out.toString());
    }

    /** A name for a message, its middle cut when it is long: the line and column already say which key it is. */
    static String brief(String name) {
        return name.length() <= 200 ? name : name.substring(0, 120) + "…" + name.substring(name.length() - 60);
    }

    /** Appends one part of a dotted name: bare as it is, otherwise quoted. */
    static void appendPart(StringBuilder out, String key) {
        boolean bare = !key.isEmpty();
        for (int i = 0; i < key.length(); i++) {
            bare &= TomlReader.isBareKeyChar(key.charAt(i));
        }
        if (out.length() > 0) {
            out.append('.');
        }
        out.append(bare ? key : "\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }

    /** The value of a key: a String, Long, Double, Boolean, java.time value, TomlArray or TomlTable; null if absent. */
    public Object get(String key) {
        return values.get(key);
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    /** The keys in the order they were first written. */
    public Set<String> keySet() {
        return Collections.unmodifiableSet(values.keySet());
    }

    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Where the key was first written (for a table, its header or first dotted key); null if absent. */
    public TomlPosition positionOf(String key) {
        return positions.get(key);
    }

    void put(String key, Object value, TomlPosition at) {
        values.put(key, value);
        positions.put(key, at);
    }
}
