package org.gitopssync.config.toml;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A parsed TOML table: its keys in the order written, their values and where each key was written. */
public final class TomlTable {

    /** How a table came to exist; the redefinition rules of TOML depend on it. */
    enum Origin { ROOT, IMPLICIT, HEADER, DOTTED, INLINE }

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, TomlPosition> positions = new HashMap<>();
    /** The dotted name of the table from the root, for messages. */
    String name;
    Origin origin;
    /** Where the table was defined: its header, its first dotted key or its opening brace. */
    TomlPosition definedAt;
    /** The table section (or inline table) that dotted keys created it in: only that one may extend it. */
    int section;

    TomlTable(String name, Origin origin, TomlPosition definedAt, int section) {
        this.name = name;
        this.origin = origin;
        this.definedAt = definedAt;
        this.section = section;
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
