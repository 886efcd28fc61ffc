package org.gitopssync.secrets.sops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.gitopssync.secrets.SecretsException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.comments.CommentType;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.CommentEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Builds sops trees from YAML parser events, keeping comments where go-yaml v3 puts them: a block comment
 * belongs to the innermost open collection whose indentation does not exceed the comment's column.
 */
final class YamlTreeReader {

    /** An open mapping or sequence and where its pending comments go. */
    private static final class Frame {
        final boolean mapping;
        final int column;
        final Optional<String> anchor;
        final SopsBranch branch = new SopsBranch();
        final List<Object> list = new ArrayList<>();
        final Set<String> keys = new HashSet<>();
        String pendingKey;
        final List<Comment> beforeValue = new ArrayList<>();
        final List<Comment> afterChild = new ArrayList<>();
        long nodes = 1;
        int height = 1;

        Frame(boolean mapping, int column, Optional<String> anchor) {
            this.mapping = mapping;
            this.column = column;
            this.anchor = anchor;
        }

        void add(Object item) {
            if (mapping) {
                branch.add((BranchItem) item);
            } else {
                list.add(item);
            }
        }

        Object value() {
            return mapping ? branch : list;
        }
    }

    private final String fileName;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private final Map<String, Object> anchors = new HashMap<>();
    // Aliases repeat a collection without copying it: what the tree costs to walk is its expanded size and depth.
    private final Map<Object, long[]> collectionSizes = new IdentityHashMap<>();
    private final List<Comment> documentComments = new ArrayList<>();
    private final List<SopsBranch> documents = new ArrayList<>();
    private Object root;
    private boolean rootSet;

    YamlTreeReader(String fileName) {
        this.fileName = fileName;
    }

    List<SopsBranch> read(String text) {
        LoadSettings settings = LoadSettings.builder().setParseComments(true).setLabel(fileName)
                .setCodePointLimit(Integer.MAX_VALUE).build();
        try {
            for (Event event : new Parse(settings).parseString(text)) {
                handle(event);
            }
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
                    .orElse("");
            throw new SecretsException(fileName + ": invalid YAML" + where + ": " + e.getProblem());
        } catch (ReaderException e) {
            throw new SecretsException(fileName + ": invalid YAML" + readerPosition(text, e.getPosition())
                    + ": character " + String.format("U+%04X", e.getCodePoint())
                    + " is not allowed in YAML (control characters and NUL must be quoted escapes)");
        } catch (YamlEngineException e) {
            throw new SecretsException(fileName + ": invalid YAML: the document cannot be read");
        }
        return documents;
    }

    private void handle(Event event) {
        switch (event.getEventId()) {
            case DocumentStart -> {
                root = null;
                rootSet = false;
                anchors.clear();
            }
            case DocumentEnd -> endDocument();
            case MappingStart, SequenceStart -> startCollection((CollectionStartEvent) event);
            case MappingEnd, SequenceEnd -> endCollection();
            case Scalar -> scalar((ScalarEvent) event);
            case Alias -> value(aliased((AliasEvent) event), event);
            case Comment -> comment((CommentEvent) event);
            default -> {
            }
        }
    }

    private void startCollection(CollectionStartEvent event) {
        Frame parent = stack.peek();
        if (parent != null && parent.mapping && parent.pendingKey == null) {
            throw error(event, "complex (non-scalar) mapping keys are not supported");
        }
        if (stack.size() >= SopsLimits.MAX_DEPTH) {
            throw SopsLimits.tooDeep(fileName, event.getStartMark().map(m -> " at line " + (m.getLine() + 1)).orElse(""));
        }
        Frame frame = new Frame(event.getEventId() == Event.ID.MappingStart, column(event), anchorOf(event));
        if (parent == null) {
            documentComments.forEach(frame::add);
            documentComments.clear();
        } else {
            // Comments between a key and its nested block belong to the nested block (yaml.v3 head comments).
            parent.beforeValue.stream().filter(c -> !c.inline()).forEach(frame::add);
            parent.beforeValue.removeIf(c -> !c.inline());
        }
        stack.push(frame);
    }

    private void endCollection() {
        Frame frame = stack.pop();
        frame.afterChild.forEach(frame::add);
        frame.anchor.ifPresent(name -> anchors.put(name, frame.value()));
        collectionSizes.put(frame.value(), new long[] {frame.nodes, frame.height});
        attach(frame.value());
    }

    private void scalar(ScalarEvent event) {
        Frame top = stack.peek();
        if (top != null && top.mapping && top.pendingKey == null) {
            Object key = scalarValue(event);
            if (!(key instanceof String text)) {
                throw error(event, "mapping keys must be strings (sops rejects " + GoValues.typeName(key) + " keys)");
            }
            if (!top.keys.add(text)) {
                throw error(event, "duplicate key \"" + text + "\"");
            }
            top.pendingKey = text;
            return;
        }
        Object value = scalarValue(event);
        anchorOf(event).ifPresent(name -> anchors.put(name, value));
        value(value, event);
    }

    private void value(Object value, Event event) {
        Frame top = stack.peek();
        if (top != null && top.mapping && top.pendingKey == null) {
            if (!(value instanceof String text) || !top.keys.add(text)) {
                throw error(event, "alias used as a mapping key");
            }
            top.pendingKey = text;
            return;
        }
        attach(value);
    }

    private void attach(Object value) {
        Frame parent = stack.peek();
        if (parent != null) {
            long[] size = collectionSizes.getOrDefault(value, new long[] {1, 0});
            parent.nodes += size[0];
            parent.height = (int) Math.max(parent.height, size[1] + 1);
            if (stack.size() - 1 + parent.height > SopsLimits.MAX_DEPTH) {
                throw SopsLimits.tooDeep(fileName, " through aliases");
            }
            if (parent.nodes > SopsLimits.MAX_NODES) {
                throw new SecretsException(fileName + ": more than " + SopsLimits.MAX_NODES
                        + " values once aliases are expanded" + SopsLimits.WHY);
            }
        }
        if (parent == null) {
            if (rootSet) {
                throw new SecretsException(fileName + ": invalid YAML: more than one root node");
            }
            root = value;
            rootSet = true;
            return;
        }
        if (parent.mapping) {
            parent.beforeValue.forEach(parent::add);
            parent.beforeValue.clear();
            parent.add(new KeyValue(parent.pendingKey, value));
            parent.pendingKey = null;
        } else {
            parent.add(value);
        }
        parent.afterChild.forEach(parent::add);
        parent.afterChild.clear();
    }

    private void comment(CommentEvent event) {
        if (event.getCommentType() == CommentType.BLANK_LINE) {
            return;
        }
        boolean inline = event.getCommentType() == CommentType.IN_LINE;
        Frame top = stack.peek();
        if (top == null) {
            if (root instanceof SopsBranch branch) {
                branch.add(new Comment(event.getValue(), false));
            } else {
                documentComments.add(new Comment(event.getValue(), false));
            }
            return;
        }
        if (inline) {
            inlineComment(top, event.getValue());
            return;
        }
        Frame owner = top;
        for (Frame frame : stack) {
            owner = frame;
            if (frame.column <= column(event)) {
                break;
            }
        }
        Comment comment = new Comment(event.getValue(), false);
        if (owner != top) {
            owner.afterChild.add(comment);
        } else if (owner.mapping && owner.pendingKey != null) {
            owner.beforeValue.add(comment);
        } else {
            owner.add(comment);
        }
    }

    /** A comment after a value on the same line goes just before that entry, as sops stores line comments. */
    private void inlineComment(Frame top, String text) {
        if (top.mapping && top.pendingKey != null) {
            top.beforeValue.add(new Comment(text, true));
            return;
        }
        List<?> items = top.mapping ? top.branch.items() : top.list;
        int index = items.size();
        for (int i = items.size() - 1; i >= 0; i--) {
            if (!(items.get(i) instanceof Comment)) {
                index = i;
                break;
            }
        }
        Comment comment = new Comment(text, true);
        if (top.mapping) {
            top.branch.items().add(index, comment);
        } else {
            top.list.add(index, comment);
        }
    }

    private void endDocument() {
        SopsBranch document;
        if (!rootSet || root == null) {
            document = new SopsBranch();
            documentComments.forEach(document::add);
        } else if (root instanceof SopsBranch branch) {
            document = branch;
            documentComments.forEach(document::add);
        } else if (root instanceof List) {
            throw new SecretsException(fileName + ": YAML documents that are sequences are not supported");
        } else {
            throw new SecretsException(fileName + ": YAML documents that are values are not supported");
        }
        documentComments.clear();
        documents.add(document);
    }

    private Object scalarValue(ScalarEvent event) {
        Optional<String> tag = event.getTag().filter(t -> !t.equals("!"));
        try {
            if (tag.isPresent()) {
                return YamlScalars.resolveTagged(tag.get(), event.getValue());
            }
        } catch (IllegalArgumentException e) {
            throw error(event, "invalid " + tag.get() + " value");
        }
        return event.getScalarStyle() == ScalarStyle.PLAIN ? YamlScalars.resolvePlain(event.getValue()) : event.getValue();
    }

    private Object aliased(AliasEvent event) {
        String name = event.getAlias().getValue();
        if (!anchors.containsKey(name)) {
            throw error(event, "unknown anchor \"" + name + "\"");
        }
        return anchors.get(name);
    }

    private static Optional<String> anchorOf(NodeEvent event) {
        return event.getAnchor().map(anchor -> anchor.getValue());
    }

    /** " at line L, column C" of a code point index, as the YAML reader counts positions. */
    private static String readerPosition(String text, int codePointIndex) {
        int line = 1;
        int column = 1;
        int offset = 0;
        for (int i = 0; i < codePointIndex && offset < text.length(); i++) {
            int c = text.codePointAt(offset);
            offset += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return " at line " + line + ", column " + column;
    }

    private static int column(Event event) {
        return event.getStartMark().map(Mark::getColumn).orElse(0);
    }

    private SecretsException error(Event event, String message) {
        String where = event.getStartMark().map(m -> " at line " + (m.getLine() + 1)).orElse("");
        return new SecretsException(fileName + ": " + message + where);
    }
}
