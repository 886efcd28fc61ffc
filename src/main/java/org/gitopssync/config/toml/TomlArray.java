package org.gitopssync.config.toml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A parsed TOML array, or an array of tables ({@code [[name]]}), with where each element starts. */
public final class TomlArray {

    private final List<Object> values = new ArrayList<>();
    private final List<TomlPosition> positions = new ArrayList<>();
    /** Built by {@code [[name]]} headers, the only kind of array a document may append to. */
    final boolean ofTables;

    TomlArray(boolean ofTables) {
        this.ofTables = ofTables;
    }

    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The element at {@code index}, of the same types as {@link TomlTable#get}. */
    public Object get(int index) {
        return values.get(index);
    }

    /** Where the element starts; for an array of tables, its {@code [[name]]} header. */
    public TomlPosition positionOf(int index) {
        return positions.get(index);
    }

    public List<Object> toList() {
        return Collections.unmodifiableList(values);
    }

    void add(Object value, TomlPosition at) {
        values.add(value);
        positions.add(at);
    }

    Object last() {
        return values.get(values.size() - 1);
    }
}
