package org.gitopssync.secrets.sops;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.gitopssync.secrets.SecretsException;

/**
 * Reads the part of a YAML sops file before its {@code sops:} metadata when it is nothing but what sops writes for a
 * tree of encrypted values: block mappings nested by indentation, simple keys, plain values of base64-like
 * characters ({@code ENC[AES256_GCM,...]}, numbers, words). The general parser costs most of a large file's
 * decryption; it still reads the metadata, and the whole file whenever any line has another shape (comments, quotes,
 * lists, anchors, documents, tabs, anything unusual), so what is accepted and every error stay its own.
 */
final class PlainBlockReader {

    private static final String METADATA_LINE = MetadataExtraction.KEY + ":";
    // Well inside the general parser's bounds (simple keys of 1024 characters, SopsLimits.MAX_DEPTH).
    private static final int LONGEST_KEY = 1000;
    private static final int DEEPEST = SopsLimits.MAX_DEPTH / 2;
    // The characters of a simple value after its first: letters, digits and these.
    private static final boolean[] VALUE_CHARS = new boolean[128];

    static {
        for (char c = 0; c < VALUE_CHARS.length; c++) {
            VALUE_CHARS[c] = isAlphanumeric(c) || "+/=,:[]._-".indexOf(c) >= 0;
        }
    }

    /** An open mapping: its indentation and the keys it has. */
    private record Level(int indent, SopsBranch branch, Set<String> keys) {
    }

    private PlainBlockReader() {
    }

    /** The documents, or empty when the file is not entirely in the simple form: then the general parser reads it. */
    static Optional<List<SopsBranch>> read(String fileName, String text) {
        int metadataAt = metadataLine(text);
        Optional<SopsBranch> root = mappings(text, metadataAt < 0 ? text.length() : metadataAt);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        if (metadataAt < 0) {
            return Optional.of(List.of(root.get()));
        }
        List<SopsBranch> rest;
        try {
            rest = new YamlTreeReader(fileName).read(text.substring(metadataAt));
        } catch (SecretsException e) {
            // Its line numbers count from the metadata: the whole file is read again for the error to point right.
            return Optional.empty();
        }
        if (rest.size() != 1) {
            return Optional.empty();
        }
        Set<String> keys = new HashSet<>();
        root.get().pairs().forEach(pair -> keys.add(pair.key()));
        for (KeyValue pair : rest.get(0).pairs()) {
            if (!keys.add(pair.key())) {
                return Optional.empty();
            }
        }
        rest.get(0).items().forEach(root.get()::add);
        return Optional.of(List.of(root.get()));
    }

    /** Where the first line that is exactly {@code sops:} starts, or -1. */
    private static int metadataLine(String text) {
        int at = text.startsWith(METADATA_LINE + "\n") ? 0 : text.indexOf("\n" + METADATA_LINE + "\n");
        return at <= 0 ? at : at + 1;
    }

    /** The root mapping of the lines before limit, all of the simple form; empty otherwise (or when there are none). */
    private static Optional<SopsBranch> mappings(String head, int limit) {
        List<Level> levels = new ArrayList<>();
        Level root = new Level(0, new SopsBranch(), new HashSet<>());
        levels.add(root);
        Level opening = null;
        String openingKey = null;
        int start = 0;
        boolean any = false;
        while (start < limit) {
            int end = head.indexOf('\n', start);
            if (end < 0 || end > limit) {
                end = limit;
            }
            int lineStart = start;
            start = end + 1;
            if (end == lineStart) {
                continue;
            }
            int indent = lineStart;
            while (indent < end && head.charAt(indent) == ' ') {
                indent++;
            }
            int column = indent - lineStart;
            int colon = keyEnd(head, indent, end);
            if (colon < 0 || colon - indent > LONGEST_KEY) {
                return Optional.empty();
            }
            if (!(YamlScalars.resolvePlain(head.substring(indent, colon)) instanceof String key)) {
                return Optional.empty();
            }
            if (opening != null) {
                if (column > opening.indent()) {
                    if (levels.size() >= DEEPEST) {
                        return Optional.empty();
                    }
                    Level nested = new Level(column, new SopsBranch(), new HashSet<>());
                    opening.branch().add(new KeyValue(openingKey, nested.branch()));
                    levels.add(nested);
                } else {
                    opening.branch().add(new KeyValue(openingKey, null));
                }
                opening = null;
            }
            while (levels.get(levels.size() - 1).indent() > column) {
                levels.remove(levels.size() - 1);
            }
            Level level = levels.get(levels.size() - 1);
            if (level.indent() != column || !level.keys().add(key)) {
                return Optional.empty();
            }
            any = true;
            if (colon + 1 == end) {
                opening = level;
                openingKey = key;
                continue;
            }
            if (head.charAt(colon + 1) != ' ' || !isSimpleValue(head, colon + 2, end)) {
                return Optional.empty();
            }
            level.branch().add(new KeyValue(key, YamlScalars.resolvePlain(head.substring(colon + 2, end))));
        }
        if (opening != null) {
            opening.branch().add(new KeyValue(openingKey, null));
        }
        return any ? Optional.of(root.branch()) : Optional.empty();
    }

    /** The index of the ':' ending a simple key that starts at from, or -1. */
    private static int keyEnd(String line, int from, int end) {
        if (from >= end || !isAlphanumeric(line.charAt(from)) && line.charAt(from) != '_') {
            return -1;
        }
        for (int i = from + 1; i < end; i++) {
            char c = line.charAt(i);
            if (c == ':') {
                return i;
            }
            if (!isAlphanumeric(c) && c != '_' && c != '.' && c != '-') {
                return -1;
            }
        }
        return -1;
    }

    /** A plain scalar that means itself in block context: no spaces, quotes, comments or indicators that matter. */
    private static boolean isSimpleValue(String line, int from, int end) {
        if (from >= end || !isAlphanumeric(line.charAt(from)) || line.charAt(end - 1) == ':') {
            return false;
        }
        for (int i = from + 1; i < end; i++) {
            char c = line.charAt(i);
            if (c >= VALUE_CHARS.length || !VALUE_CHARS[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
