package org.gitopssync.secrets.sops;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.gitopssync.secrets.SecretsException;

/** sops's INI store, which reads and writes through go-ini: sections of string keys, comments, aligned output. */
final class IniStore implements SopsStore {

    private static final String DEFAULT_SECTION = "DEFAULT";

    @Override
    public Loaded load(String fileName, byte[] content) {
        List<IniSection> sections = new IniParser(fileName, new String(content, StandardCharsets.UTF_8)).parse();
        SopsBranch document = new SopsBranch();
        for (IniSection section : sections) {
            SopsBranch items = new SopsBranch();
            if (!section.comment.isEmpty()) {
                items.add(new Comment(stripCommentMarker(section.comment), false));
            }
            for (IniSection.Key key : section.keys) {
                items.add(new KeyValue(key.name, key.value));
                if (!key.comment.isEmpty()) {
                    items.add(new Comment(stripCommentMarker(key.comment), false));
                }
            }
            document.add(new KeyValue(section.name, items));
        }
        return MetadataExtraction.section(fileName, document);
    }

    private static String stripCommentMarker(String comment) {
        if (comment.startsWith(";")) {
            return comment.replaceFirst("^[; ]+", "");
        }
        if (comment.startsWith("#")) {
            return comment.replaceFirst("^[# ]+", "");
        }
        return comment;
    }

    @Override
    public byte[] emit(List<SopsBranch> branches) {
        List<IniSection> sections = new ArrayList<>();
        for (SopsBranch branch : branches) {
            for (KeyValue pair : branch.pairs()) {
                if (!(pair.value() instanceof SopsBranch body)) {
                    throw new SecretsException("INI values must be inside a section (offending key " + pair.key() + ")");
                }
                sections.add(toSection(pair.key(), body));
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < sections.size(); i++) {
            writeSection(out, sections.get(i), i == 0, i == sections.size() - 1);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static IniSection toSection(String name, SopsBranch body) {
        IniSection section = new IniSection(name);
        List<BranchItem> items = body.items();
        int first = 0;
        if (!items.isEmpty() && items.get(0) instanceof Comment comment) {
            section.comment = comment.text();
            first = 1;
        }
        IniSection.Key last = null;
        for (int i = first; i < items.size(); i++) {
            if (items.get(i) instanceof Comment comment) {
                if (last != null) {
                    last.comment = comment.text();
                }
            } else {
                KeyValue pair = (KeyValue) items.get(i);
                last = section.put(pair.key(), GoValues.flatText(pair.value()));
            }
        }
        return section;
    }

    private static void writeSection(StringBuilder out, IniSection section, boolean first, boolean last) {
        writeComment(out, section.comment, false);
        if (!first || !section.name.equalsIgnoreCase(DEFAULT_SECTION)) {
            out.append('[').append(section.name).append("]\n");
        } else if (section.keys.isEmpty()) {
            return;
        }
        int align = 0;
        for (IniSection.Key key : section.keys) {
            align = Math.max(align, utf8Length(quoteKey(key.name)));
        }
        for (IniSection.Key key : section.keys) {
            writeComment(out, key.comment, true);
            String name = quoteKey(key.name);
            out.append(name).append(" ".repeat(align - utf8Length(name))).append(" = ").append(quoteValue(key.value))
                    .append('\n');
        }
        if (!last) {
            out.append('\n');
        }
    }

    private static void writeComment(StringBuilder out, String comment, boolean trimPlainLines) {
        if (comment.isEmpty()) {
            return;
        }
        for (String line : comment.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            char marker = line.charAt(0);
            if (marker != '#' && marker != ';') {
                out.append("; ").append(trimPlainLines ? line.strip() : line);
            } else {
                out.append(marker).append(' ').append(line.substring(1).strip());
            }
            out.append('\n');
        }
    }

    private static String quoteKey(String name) {
        if (name.contains("\"") || name.contains("=") || name.contains(":")) {
            return "`" + name + "`";
        }
        if (name.contains("`")) {
            return "\"\"\"" + name + "\"\"\"";
        }
        return name;
    }

    private static String quoteValue(String value) {
        if (value.contains("\n") || value.contains("`")) {
            return "\"\"\"" + value + "\"\"\"";
        }
        if (value.contains("#") || value.contains(";")) {
            return "`" + value + "`";
        }
        if (value.strip().length() != value.length()) {
            return "\"" + value + "\"";
        }
        return value;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public byte[] emitValue(Object value) {
        StringBuilder out = new StringBuilder();
        if (value instanceof String text) {
            JsonStore.writeString(out, text);
        } else {
            out.append(new String(new JsonStore().emitValue(value), StandardCharsets.UTF_8).replaceAll("\n\t*", ""));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
