package org.gitopssync.config.toml;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.gitopssync.config.toml.TomlTable.Origin;

/**
 * The structure of a TOML document: key/value lines, table headers, arrays and inline tables, and the rules
 * about what may be defined or extended where. Strings and unquoted values are read by {@link TomlStrings} and
 * {@link TomlScalars}.
 */
final class TomlReader {

    /** Arrays and inline tables are read recursively; deeper input is refused instead of exhausting the stack. */
    static final int MAX_DEPTH = 100;

    private final Cursor in;
    private final TomlTable root = new TomlTable(null, null, Origin.ROOT, new TomlPosition(1, 1), 0);
    /** Numbers the table sections and inline tables, so that dotted keys only extend tables of their own one. */
    private int section;

    TomlReader(String text) {
        this.in = new Cursor(text);
    }

    TomlTable document() throws TomlParseException {
        if (in.peek() == '\uFEFF') {
            in.next();
        }
        TomlTable current = root;
        int owner = section;
        while (!in.atEnd()) {
            in.skipBlank();
            char c = in.peek();
            if (c == '[') {
                current = header();
                owner = section;
            } else if (c != '#' && !in.atNewline() && !in.atEnd()) {
                keyValue(current, owner, 0);
            }
            in.skipBlank();
            if (in.peek() == '#') {
                in.skipComment();
            }
            if (in.atNewline()) {
                in.skipNewline();
            } else if (!in.atEnd()) {
                throw in.error("expected the end of the line, found " + in.describe()
                        + " (one key = value or [table] per line)");
            }
        }
        return root;
    }

    Object singleValue() throws TomlParseException {
        in.skipBlank();
        Object value = value(0);
        in.skipBlankLinesAndComments();
        if (!in.atEnd()) {
            throw in.error("expected nothing after the value, found " + in.describe());
        }
        return value;
    }

    /** {@code [a.b]} or {@code [[a.b]]}: the table that the following keys go into. */
    private TomlTable header() throws TomlParseException {
        TomlPosition at = in.position();
        in.next();
        boolean array = in.peek() == '[';
        if (array) {
            in.next();
        }
        in.skipBlank();
        List<Key> key = key();
        in.skipBlank();
        String close = array ? "]]" : "]";
        if (!in.startsWith(close)) {
            throw in.error("expected " + close + " to close the table header, found " + in.describe());
        }
        in.skip(close.length());
        section++;
        TomlTable parent = root;
        for (int i = 0; i < key.size() - 1; i++) {
            parent = headerParent(parent, key.get(i));
        }
        Key last = key.get(key.size() - 1);
        return array ? appendTable(parent, last, at) : defineTable(parent, last, at);
    }

    /** A table on the way to a header's table; an array of tables leads into its last table. */
    private TomlTable headerParent(TomlTable table, Key key) throws TomlParseException {
        Object v = table.get(key.name);
        if (v == null) {
            TomlTable child = new TomlTable(table, key.name, Origin.IMPLICIT, key.at, section);
            table.put(key.name, child, key.at);
            return child;
        }
        if (v instanceof TomlTable child) {
            if (child.origin == Origin.INLINE) {
                throw Cursor.error(key.at, inlineTable(child));
            }
            return child;
        }
        if (v instanceof TomlArray array && array.ofTables) {
            return (TomlTable) array.last();
        }
        throw Cursor.error(key.at, notATable(table, key));
    }

    private TomlTable defineTable(TomlTable parent, Key key, TomlPosition at) throws TomlParseException {
        Object v = parent.get(key.name);
        if (v == null) {
            TomlTable table = new TomlTable(parent, key.name, Origin.HEADER, at, section);
            parent.put(key.name, table, key.at);
            return table;
        }
        if (v instanceof TomlTable table) {
            switch (table.origin) {
                case IMPLICIT -> {
                    table.origin = Origin.HEADER;
                    table.definedAt = at;
                    table.section = section;
                    return table;
                }
                case HEADER -> throw Cursor.error(at, "the table [" + nameOf(parent, key)
                        + "] is defined twice (first at line " + table.definedAt.line() + ")");
                case DOTTED -> throw Cursor.error(at, "the table [" + nameOf(parent, key)
                        + "] is already defined by the dotted keys at line " + table.definedAt.line()
                        + "; a table is defined once");
                default -> throw Cursor.error(at, inlineTable(table));
            }
        }
        if (v instanceof TomlArray array && array.ofTables) {
            String name = nameOf(parent, key);
            throw Cursor.error(at, "[" + name + "] is an array of tables ([[" + name + "]] at line "
                    + parent.positionOf(key.name).line() + "), so it cannot also be a table");
        }
        throw Cursor.error(at, notATable(parent, key));
    }

    private TomlTable appendTable(TomlTable parent, Key key, TomlPosition at) throws TomlParseException {
        Object v = parent.get(key.name);
        TomlArray array;
        if (v == null) {
            array = new TomlArray(true);
            parent.put(key.name, array, key.at);
        } else if (v instanceof TomlArray existing && existing.ofTables) {
            array = existing;
        } else if (v instanceof TomlArray) {
            String name = nameOf(parent, key);
            throw Cursor.error(at, "`" + name + "` is an array written as a value at line "
                    + parent.positionOf(key.name).line() + "; [[" + name + "]] can only add to an array of tables");
        } else if (v instanceof TomlTable table) {
            String name = nameOf(parent, key);
            throw Cursor.error(at, "`" + name + "` is already a table (line " + table.definedAt.line()
                    + "), so [[" + name + "]] cannot make it an array of tables");
        } else {
            throw Cursor.error(at, notATable(parent, key));
        }
        TomlTable table = new TomlTable(parent, key.name, Origin.HEADER, at, section);
        array.add(table, at);
        return table;
    }

    /**
     * {@code key = value}, the key possibly dotted, into {@code table}; {@code owner} numbers the table section or
     * inline table being read, {@code depth} how deep in arrays and inline tables it is.
     */
    private void keyValue(TomlTable table, int owner, int depth) throws TomlParseException {
        List<Key> key = key();
        in.skipBlank();
        if (in.peek() != '=') {
            throw in.error("expected = after the key `" + written(key) + "`, found " + in.describe());
        }
        in.next();
        in.skipBlank();
        Object value = value(depth);
        TomlTable target = table;
        for (int i = 0; i < key.size() - 1; i++) {
            target = dottedParent(target, key.get(i), owner);
        }
        Key last = key.get(key.size() - 1);
        if (target.contains(last.name)) {
            Object existing = target.get(last.name);
            String name = nameOf(target, last);
            throw Cursor.error(last.at, existing instanceof TomlTable t && t.origin != Origin.INLINE
                    ? "`" + name + "` is already a table (line " + t.definedAt.line() + "); it cannot also be a value"
                    : "the key `" + name + "` is defined twice (first at line "
                            + target.positionOf(last.name).line() + ")");
        }
        target.put(last.name, value, last.at);
        adopt(value, target, last.name);
    }

    /**
     * Tables read inside a value learn where they are once the value has a key, for the names in later messages;
     * the tables inside them already point at them.
     */
    private static void adopt(Object value, TomlTable parent, String key) {
        if (value instanceof TomlTable table) {
            table.parent = parent;
            table.key = key;
        } else if (value instanceof TomlArray array) {
            for (Object element : array.toList()) {
                adopt(element, parent, key);
            }
        }
    }

    /** A table that a dotted key goes through: new, or one that dotted keys of the same section created. */
    private TomlTable dottedParent(TomlTable table, Key key, int owner) throws TomlParseException {
        Object v = table.get(key.name);
        if (v == null) {
            TomlTable child = new TomlTable(table, key.name, Origin.DOTTED, key.at, owner);
            table.put(key.name, child, key.at);
            return child;
        }
        if (v instanceof TomlTable child) {
            switch (child.origin) {
                case IMPLICIT -> {
                    child.origin = Origin.DOTTED;
                    child.definedAt = key.at;
                    child.section = owner;
                    return child;
                }
                case DOTTED -> {
                    if (child.section == owner) {
                        return child;
                    }
                    throw Cursor.error(key.at, "the table `" + nameOf(table, key) + "` was defined by dotted keys at"
                            + " line " + child.definedAt.line() + "; it cannot be extended from another table");
                }
                case HEADER -> throw Cursor.error(key.at, "the table [" + nameOf(table, key) + "] is defined at line "
                        + child.definedAt.line() + "; dotted keys cannot add to it (put the keys under its header)");
                default -> throw Cursor.error(key.at, inlineTable(child));
            }
        }
        if (v instanceof TomlArray) {
            throw Cursor.error(key.at, "`" + nameOf(table, key) + "` is an array (line "
                    + table.positionOf(key.name).line() + "); dotted keys cannot add to it");
        }
        throw Cursor.error(key.at, notATable(table, key));
    }

    /** A simple or dotted key; the cursor is on its first character. */
    private List<Key> key() throws TomlParseException {
        List<Key> parts = new ArrayList<>();
        while (true) {
            TomlPosition at = in.position();
            char c = in.peek();
            String name;
            if (c == '"' || c == '\'') {
                if (in.startsWith("\"\"\"") || in.startsWith("'''")) {
                    throw in.error("a key cannot be a multi-line string");
                }
                name = TomlStrings.singleLine(in);
            } else if (isBareKeyChar(c)) {
                StringBuilder bare = new StringBuilder();
                while (isBareKeyChar(in.peek())) {
                    bare.append(in.next());
                }
                name = bare.toString();
            } else {
                throw in.error("expected a key, found " + in.describe()
                        + " (a bare key is letters, digits, _ and -; quote any other)");
            }
            parts.add(new Key(name, at));
            in.skipBlank();
            if (in.peek() != '.') {
                return parts;
            }
            in.next();
            in.skipBlank();
        }
    }

    private Object value(int depth) throws TomlParseException {
        char c = in.peek();
        if (in.atEnd() || in.atNewline() || c == '#') {
            throw in.error("a value is missing (found " + in.describe() + ")");
        }
        if (c == '"' || c == '\'') {
            return TomlStrings.read(in);
        }
        if (c == '[' || c == '{') {
            if (depth >= MAX_DEPTH) {
                throw in.error("arrays and inline tables nested deeper than " + MAX_DEPTH + " levels");
            }
            return c == '[' ? array(depth + 1) : inlineTable(depth + 1);
        }
        return TomlScalars.read(in);
    }

    private TomlArray array(int depth) throws TomlParseException {
        in.next();
        TomlArray array = new TomlArray(false);
        while (true) {
            in.skipBlankLinesAndComments();
            if (in.peek() == ']') {
                in.next();
                return array;
            }
            TomlPosition at = in.position();
            array.add(value(depth), at);
            in.skipBlankLinesAndComments();
            if (in.peek() == ',') {
                in.next();
            } else if (in.peek() == ']') {
                in.next();
                return array;
            } else {
                throw in.error("expected , or ] after an element of the array, found " + in.describe());
            }
        }
    }

    private TomlTable inlineTable(int depth) throws TomlParseException {
        TomlPosition at = in.position();
        in.next();
        int owner = ++section;
        TomlTable table = new TomlTable(null, null, Origin.DOTTED, at, owner);
        in.skipBlank();
        if (in.peek() == '}') {
            in.next();
            return freeze(table);
        }
        while (true) {
            in.skipBlank();
            if (in.peek() == '}') {
                throw in.error("an inline table takes no comma after its last key");
            }
            if (in.atNewline() || in.atEnd()) {
                throw in.error("an inline table must be closed with } on the line where it starts");
            }
            keyValue(table, owner, depth);
            in.skipBlank();
            if (in.peek() == ',') {
                in.next();
            } else if (in.peek() == '}') {
                in.next();
                return freeze(table);
            } else if (in.atNewline() || in.atEnd()) {
                throw in.error("an inline table must be closed with } on the line where it starts");
            } else {
                throw in.error("expected , or } in the inline table, found " + in.describe());
            }
        }
    }

    /** An inline table and the tables its dotted keys made are complete: nothing may add to them later. */
    private static TomlTable freeze(TomlTable table) {
        // a loop, not recursion: dotted keys nest tables as deep as a key has parts
        Deque<TomlTable> open = new ArrayDeque<>(List.of(table));
        while (!open.isEmpty()) {
            TomlTable t = open.pop();
            t.origin = Origin.INLINE;
            for (String key : t.keySet()) {
                if (t.get(key) instanceof TomlTable child && child.origin != Origin.INLINE) {
                    open.push(child);
                }
            }
        }
        return table;
    }

    private static String inlineTable(TomlTable table) {
        return "`" + table.name() + "` is an inline table (line " + table.definedAt.line()
                + "), which is complete as written: nothing can be added to it";
    }

    private static String notATable(TomlTable parent, Key key) {
        return "`" + nameOf(parent, key) + "` already has a value (line " + parent.positionOf(key.name).line()
                + "), so it cannot also be a table";
    }

    /** A character a key may be written with unquoted. */
    static boolean isBareKeyChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    /** The dotted name of {@code key} in {@code table}, for messages. */
    private static String nameOf(TomlTable table, Key key) {
        return join(table.name(), key.name);
    }

    /** A dotted name for messages: bare parts as they are, others quoted. */
    private static String join(String parent, String key) {
        StringBuilder out = new StringBuilder(parent);
        TomlTable.appendPart(out, key);
        return TomlTable.brief(out.toString());
    }

    private static String written(List<Key> key) {
        StringBuilder out = new StringBuilder();
        for (Key k : key) {
            TomlTable.appendPart(out, k.name);
        }
        return TomlTable.brief(out.toString());
    }

    /** One part of a key and where it was written. */
    private record Key(String name, TomlPosition at) {
    }
}
