package org.gitopssync.secrets.sops;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes decrypted trees the way sops does: comments attached as sops attaches them to yaml.v3 nodes,
 * then go-yaml v3's emitter rules with an indentation of 4 (no line folding).
 */
final class YamlEmitter {

    private static final int BEST_INDENT = 4;

    private final StringBuilder out = new StringBuilder();
    private int column;
    private boolean whitespace = true;
    private boolean indention = true;
    private int footIndent = -1;

    static String emitDocuments(List<SopsBranch> documents) {
        YamlEmitter emitter = new YamlEmitter();
        for (int i = 0; i < documents.size(); i++) {
            emitter.document(YamlNode.from(documents.get(i)), i == 0);
        }
        return emitter.out.toString();
    }

    static String emitValue(Object value) {
        YamlEmitter emitter = new YamlEmitter();
        emitter.document(YamlNode.from(value), true);
        return emitter.out.toString();
    }

    private void document(YamlNode root, boolean first) {
        if (!first) {
            writeIndent(0);
            writeIndicator("---", true, false, false);
            writeIndent(0);
        }
        node(root, -1, false, false);
        footIndent = -1;
        writeIndent(0);
    }

    private void node(YamlNode node, int indent, boolean inSequenceItem, boolean simpleKey) {
        if (node.mapping) {
            mapping(node, indent, inSequenceItem);
        } else if (node.sequence) {
            sequence(node, indent, inSequenceItem);
        } else {
            scalar(node, increaseIndent(indent, true, inSequenceItem), simpleKey);
        }
    }

    private void mapping(YamlNode node, int indent, boolean inSequenceItem) {
        if (node.children.isEmpty()) {
            writeIndicator("{", true, true, false);
            writeIndicator("}", false, false, false);
            return;
        }
        int inner = increaseIndent(indent, false, inSequenceItem);
        String pendingHead = node.head;
        String tail = "";
        for (int i = 0; i < node.children.size(); i += 2) {
            YamlNode key = node.children.get(i);
            YamlNode value = node.children.get(i + 1);
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

    private void sequence(YamlNode node, int indent, boolean inSequenceItem) {
        if (node.children.isEmpty()) {
            writeIndicator("[", true, true, false);
            writeIndicator("]", false, false, false);
            return;
        }
        int inner = increaseIndent(indent, false, inSequenceItem);
        String pendingHead = node.head;
        for (YamlNode item : node.children) {
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

    private void lineComment(YamlNode node, int indent) {
        if (node.line.isEmpty()) {
            return;
        }
        if (!whitespace) {
            put(' ');
        }
        writeComment(node.line, indent);
        node.line = "";
    }

    private void scalar(YamlNode node, int indent, boolean simpleKey) {
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

    private void literal(YamlNode node, String text, int indent) {
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
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof Long || value instanceof BigInteger || value instanceof Boolean) {
            return value.toString();
        }
        return (String) value;
    }
}
