package org.gitopssync.secrets.sops;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes decrypted trees the way sops does: comments attached as sops attaches them to yaml.v3 nodes,
 * then go-yaml v3's emitter rules with an indentation of 4 (no line folding).
 */
final class YamlEmitter {

    private static final int BEST_INDENT = 4;

    /** A yaml.v3 node as sops builds it from the tree, with its head, line and foot comments. */
    private static final class Node {
        final Object scalar;
        final List<Node> children = new ArrayList<>();
        final boolean mapping;
        final boolean sequence;
        String head = "";
        String line = "";
        String foot = "";

        Node(Object scalar, boolean mapping, boolean sequence) {
            this.scalar = scalar;
            this.mapping = mapping;
            this.sequence = sequence;
        }

        boolean isScalar() {
            return !mapping && !sequence;
        }
    }

    private final StringBuilder out = new StringBuilder();
    private int column;
    private boolean whitespace = true;
    private boolean indention = true;
    private int footIndent = -1;

    static String emitDocuments(List<SopsBranch> documents) {
        YamlEmitter emitter = new YamlEmitter();
        for (int i = 0; i < documents.size(); i++) {
            emitter.document(toNode(documents.get(i)), i == 0);
        }
        return emitter.out.toString();
    }

    static String emitValue(Object value) {
        YamlEmitter emitter = new YamlEmitter();
        emitter.document(toNode(value), true);
        return emitter.out.toString();
    }

    private void document(Node root, boolean first) {
        if (!first) {
            writeIndent(0);
            writeIndicator("---", true, false, false);
            writeIndent(0);
        }
        node(root, -1, false, false);
        footIndent = -1;
        writeIndent(0);
    }

    private void node(Node node, int indent, boolean inSequenceItem, boolean simpleKey) {
        if (node.mapping) {
            mapping(node, indent, inSequenceItem);
        } else if (node.sequence) {
            sequence(node, indent, inSequenceItem);
        } else {
            scalar(node, increaseIndent(indent, true, inSequenceItem), simpleKey);
        }
    }

    private void mapping(Node node, int indent, boolean inSequenceItem) {
        if (node.children.isEmpty()) {
            writeIndicator("{", true, true, false);
            writeIndicator("}", false, false, false);
            return;
        }
        int inner = increaseIndent(indent, false, inSequenceItem);
        String pendingHead = node.head;
        String tail = "";
        for (int i = 0; i < node.children.size(); i += 2) {
            Node key = node.children.get(i);
            Node value = node.children.get(i + 1);
            headComments(inner, tail, key.head.isEmpty() ? pendingHead : key.head);
            pendingHead = "";
            writeIndent(inner);
            scalar(key, increaseIndent(inner, true, false), true);
            writeIndicator(":", false, false, false);
            node(value, inner, false, false);
            lineComment(value, inner);
            tail = key.foot;
        }
        headComments(inner, tail, "");
    }

    private void sequence(Node node, int indent, boolean inSequenceItem) {
        if (node.children.isEmpty()) {
            writeIndicator("[", true, true, false);
            writeIndicator("]", false, false, false);
            return;
        }
        int inner = increaseIndent(indent, false, inSequenceItem);
        String pendingHead = node.head;
        for (Node item : node.children) {
            headComments(inner, "", item.head.isEmpty() ? pendingHead : item.head);
            pendingHead = "";
            writeIndent(inner);
            writeIndicator("-", true, false, true);
            node(item, inner, true, false);
            lineComment(item, inner);
            if (!item.foot.isEmpty()) {
                writeIndent(inner);
                writeComment(item.foot, inner);
                footIndent = inner;
            }
        }
    }

    private static int increaseIndent(int indent, boolean flow, boolean inSequenceItem) {
        if (indent < 0) {
            return flow ? BEST_INDENT : 0;
        }
        // yaml.v3: the first level inside "- " skips the indicator; everything else aligns to the indent width.
        return inSequenceItem ? indent + 2 : BEST_INDENT * ((indent + BEST_INDENT) / BEST_INDENT);
    }

    private void headComments(int indent, String tail, String head) {
        if (!tail.isEmpty()) {
            writeIndent(indent);
            writeComment(tail, indent);
            footIndent = indent;
        }
        if (!head.isEmpty()) {
            writeIndent(indent);
            writeComment(head, indent);
        }
    }

    private void lineComment(Node node, int indent) {
        if (node.line.isEmpty()) {
            return;
        }
        if (!whitespace) {
            put(' ');
        }
        writeComment(node.line, indent);
        node.line = "";
    }

    private void scalar(Node node, int indent, boolean simpleKey) {
        String text = text(node.scalar);
        boolean isString = node.scalar instanceof String;
        YamlScalars.Analysis analysis = YamlScalars.Analysis.of(text);
        Style style;
        if (isString && text.contains("\n")) {
            style = Style.LITERAL;
        } else if (!isString || YamlScalars.canBePlain(text)) {
            style = Style.PLAIN;
        } else {
            style = Style.DOUBLE;
        }
        if (simpleKey && analysis.multiline()) {
            style = Style.DOUBLE;
        }
        if (style == Style.PLAIN && (!analysis.blockPlainAllowed() || (text.isEmpty() && simpleKey))) {
            style = Style.SINGLE;
        }
        if (style == Style.SINGLE && !analysis.singleQuotedAllowed()) {
            style = Style.DOUBLE;
        }
        if (style == Style.LITERAL && (!analysis.blockAllowed() || simpleKey)) {
            style = Style.DOUBLE;
        }
        switch (style) {
            case PLAIN -> {
                if (!text.isEmpty() && !whitespace) {
                    put(' ');
                }
                write(text);
                if (!text.isEmpty()) {
                    whitespace = false;
                }
                indention = false;
            }
            case SINGLE -> {
                writeIndicator("'", true, false, false);
                write(text.replace("'", "''"));
                writeIndicator("'", false, false, false);
                whitespace = false;
                indention = false;
            }
            case DOUBLE -> {
                writeIndicator("\"", true, false, false);
                write(YamlDoubleQuoted.escape(text));
                writeIndicator("\"", false, false, false);
                whitespace = false;
                indention = false;
            }
            case LITERAL -> literal(node, text, indent);
        }
    }

    private enum Style { PLAIN, SINGLE, DOUBLE, LITERAL }

    private void literal(Node node, String text, int indent) {
        writeIndicator("|", true, false, false);
        int[] cps = text.codePoints().toArray();
        if (cps.length > 0 && (cps[0] == ' ' || YamlScalars.isBreak(cps[0]))) {
            writeIndicator(String.valueOf(BEST_INDENT), false, false, false);
        }
        String chomp = "";
        if (cps.length == 0 || !YamlScalars.isBreak(cps[cps.length - 1])) {
            chomp = "-";
        } else if (cps.length == 1 || YamlScalars.isBreak(cps[cps.length - 2])) {
            chomp = "+";
        }
        if (!chomp.isEmpty()) {
            writeIndicator(chomp, false, false, false);
        }
        lineComment(node, indent);
        whitespace = true;
        boolean breaks = true;
        for (int cp : cps) {
            if (cp == '\n') {
                putBreak();
                breaks = true;
            } else if (YamlScalars.isBreak(cp)) {
                out.appendCodePoint(cp);
                column = 0;
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent(indent);
                }
                out.appendCodePoint(cp);
                column++;
                indention = false;
                breaks = false;
            }
        }
    }

    private void writeIndent(int indent) {
        int target = Math.max(indent, 0);
        if (!indention || column > target || (column == target && !whitespace)) {
            putBreak();
        }
        if (footIndent == target) {
            putBreak();
        }
        while (column < target) {
            put(' ');
        }
        whitespace = true;
        footIndent = -1;
    }

    private void writeIndicator(String indicator, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
        if (needWhitespace && !whitespace) {
            put(' ');
        }
        write(indicator);
        whitespace = isWhitespace;
        indention = indention && isIndention;
    }

    /** Comment text as sops stores it on nodes: lines starting with '#', joined by newlines. */
    private void writeComment(String comment, int indent) {
        boolean breaks = false;
        boolean pound = false;
        for (int cp : comment.codePoints().toArray()) {
            if (cp == '\n') {
                putBreak();
                breaks = true;
                pound = false;
            } else {
                if (breaks) {
                    writeIndent(indent);
                }
                if (!pound) {
                    if (cp != '#') {
                        write("# ");
                    }
                    pound = true;
                }
                out.appendCodePoint(cp);
                column++;
                indention = false;
                breaks = false;
            }
        }
        if (!breaks) {
            putBreak();
        }
        whitespace = true;
    }

    private void write(String text) {
        out.append(text);
        column += text.codePointCount(0, text.length());
    }

    private void put(char c) {
        out.append(c);
        column++;
    }

    private void putBreak() {
        out.append('\n');
        column = 0;
        indention = true;
    }

    private static String text(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double number) {
            if (number.isNaN()) {
                return ".nan";
            }
            if (number.isInfinite()) {
                return number > 0 ? ".inf" : "-.inf";
            }
            return GoNumbers.formatG(number, false);
        }
        if (value instanceof GoTime time) {
            return time.rfc3339Nano();
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (value instanceof Long || value instanceof BigInteger || value instanceof Boolean) {
            return value.toString();
        }
        return (String) value;
    }

    /** sops's treeValueToNode / appendTreeBranch / appendSequence: where comment items end up. */
    private static Node toNode(Object value) {
        if (value instanceof SopsBranch branch) {
            Node mapping = new Node(null, true, false);
            List<String> head = new ArrayList<>();
            List<String> inline = new ArrayList<>();
            boolean beginning = true;
            for (BranchItem item : branch.items()) {
                if (item instanceof Comment comment) {
                    (comment.inline() ? inline : head).add(comment.text());
                    continue;
                }
                KeyValue pair = (KeyValue) item;
                if (beginning) {
                    mapping.head = prepend(joinComments(head), mapping.head);
                    head.clear();
                    beginning = false;
                }
                Node key = new Node(pair.key(), false, false);
                key.head = prepend(joinComments(head), key.head);
                head.clear();
                Node child = toNode(pair.value());
                child.line = appendComment(child.line, joinComments(inline));
                inline.clear();
                mapping.children.add(key);
                mapping.children.add(child);
            }
            head.addAll(inline);
            attachTrailing(mapping, head, beginning, mapping.children.isEmpty() ? null
                    : mapping.children.get(mapping.children.size() - 2));
            return mapping;
        }
        if (value instanceof List<?> list) {
            Node sequence = new Node(null, false, true);
            List<String> head = new ArrayList<>();
            List<String> inline = new ArrayList<>();
            boolean beginning = true;
            for (Object item : list) {
                if (item instanceof Comment comment) {
                    (comment.inline() ? inline : head).add(comment.text());
                    continue;
                }
                if (beginning) {
                    sequence.head = prepend(joinComments(head), sequence.head);
                    head.clear();
                    beginning = false;
                }
                Node child = toNode(item);
                child.head = prepend(joinComments(head), child.head);
                head.clear();
                child.line = appendComment(child.line, joinComments(inline));
                inline.clear();
                sequence.children.add(child);
            }
            head.addAll(inline);
            attachTrailing(sequence, head, beginning, sequence.children.isEmpty() ? null
                    : sequence.children.get(sequence.children.size() - 1));
            return sequence;
        }
        return new Node(value, false, false);
    }

    private static void attachTrailing(Node collection, List<String> comments, boolean beginning, Node last) {
        String joined = joinComments(comments);
        if (joined.isEmpty()) {
            return;
        }
        if (beginning || last == null) {
            collection.head = prepend(joined, collection.head);
        } else {
            last.foot = appendComment(last.foot, joined);
        }
    }

    private static String joinComments(List<String> comments) {
        return comments.isEmpty() ? "" : "#" + String.join("\n#", comments);
    }

    private static String prepend(String comment, String existing) {
        return comment.isEmpty() ? existing : existing.isEmpty() ? comment : comment + "\n" + existing;
    }

    private static String appendComment(String existing, String comment) {
        return comment.isEmpty() ? existing : existing.isEmpty() ? comment : existing + "\n" + comment;
    }
}
