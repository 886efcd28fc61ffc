package org.gitopssync.secrets.sops;

import java.util.ArrayList;
import java.util.List;
import org.gitopssync.secrets.SecretsException;

/** Parses INI text the way go-ini does with sops's options (non-unique sections, inline comments, quoting). */
final class IniParser {

    private static final String DELIMITERS = "=:";

    private final String fileName;
    private final String[] lines;
    private int next;
    private final StringBuilder pendingComment = new StringBuilder();

    IniParser(String fileName, String text) {
        this.fileName = fileName;
        this.lines = text.startsWith("\uFEFF") ? text.substring(1).split("\n", -1) : text.split("\n", -1);
    }

    List<IniSection> parse() {
        List<IniSection> sections = new ArrayList<>();
        IniSection current = new IniSection("DEFAULT");
        sections.add(current);
        while (next < lines.length) {
            int lineNumber = next + 1;
            String line = stripCarriageReturn(lines[next++]).stripLeading();
            if (line.isEmpty()) {
                continue;
            }
            char first = line.charAt(0);
            if (first == '#' || first == ';') {
                pendingComment.append(line).append('\n');
                continue;
            }
            if (first == '[') {
                int close = line.lastIndexOf(']');
                if (close < 0) {
                    throw error(lineNumber, "unclosed section header");
                }
                current = new IniSection(line.substring(1, close));
                sections.add(current);
                appendInlineComment(line.substring(close + 1));
                current.comment = takeComment();
                continue;
            }
            readKey(current, line, lineNumber);
        }
        return sections;
    }

    private void readKey(IniSection section, String line, int lineNumber) {
        String name;
        int offset;
        char first = line.charAt(0);
        String quote = first == '"' ? (line.length() > 6 && line.startsWith("\"\"\"") ? "\"\"\"" : "\"")
                : first == '`' ? "`" : "";
        if (!quote.isEmpty()) {
            int end = line.indexOf(quote, quote.length());
            if (end < 0) {
                throw error(lineNumber, "missing closing key quote");
            }
            int delimiter = indexOfAny(line, DELIMITERS, end + quote.length());
            if (delimiter < 0) {
                throw error(lineNumber, "key-value delimiter not found");
            }
            name = line.substring(quote.length(), end).strip();
            offset = delimiter + 1;
        } else {
            int delimiter = indexOfAny(line, DELIMITERS, 0);
            if (delimiter < 0) {
                throw error(lineNumber, "key-value delimiter not found");
            }
            if (delimiter == 0) {
                throw error(lineNumber, "empty key name");
            }
            name = line.substring(0, delimiter).strip();
            offset = delimiter + 1;
        }
        String value = readValue(line.substring(offset), lineNumber);
        section.put(name, value).comment = takeComment();
    }

    private String readValue(String raw, int lineNumber) {
        String line = raw.stripLeading();
        if (line.isEmpty()) {
            return "";
        }
        String quote = line.length() > 3 && line.startsWith("\"\"\"") ? "\"\"\"" : line.startsWith("`") ? "`" : "";
        if (!quote.isEmpty()) {
            String rest = stripCarriageReturn(line).substring(quote.length());
            int end = rest.lastIndexOf(quote);
            if (end >= 0) {
                return rest.substring(0, end);
            }
            return readMultiline(rest + "\n", quote, lineNumber);
        }
        line = line.strip();
        if (line.endsWith("\\")) {
            return readContinuation(line.substring(0, line.length() - 1));
        }
        int comment = indexOfAny(line, "#;", 0);
        if (comment >= 0) {
            pendingComment.append(line.substring(comment));
            line = line.substring(0, comment).strip();
        }
        if (surroundedBy(line, '\'') || surroundedBy(line, '"')) {
            line = line.substring(1, line.length() - 1);
        }
        return line;
    }

    private String readMultiline(String start, String quote, int lineNumber) {
        StringBuilder value = new StringBuilder(start);
        while (next < lines.length) {
            boolean lastLine = next == lines.length - 1;
            String line = lines[next++] + (lastLine ? "" : "\n");
            int end = line.lastIndexOf(quote);
            if (end >= 0) {
                value.append(line, 0, end);
                appendInlineComment(line.substring(end));
                return value.toString();
            }
            value.append(line);
        }
        throw error(lineNumber, "missing closing value quote " + quote);
    }

    private String readContinuation(String start) {
        StringBuilder value = new StringBuilder(start);
        while (next < lines.length) {
            String line = lines[next++].strip();
            if (line.isEmpty()) {
                break;
            }
            value.append(line);
            if (value.charAt(value.length() - 1) != '\\') {
                break;
            }
            value.setLength(value.length() - 1);
        }
        return value.toString();
    }

    private void appendInlineComment(String rest) {
        int comment = indexOfAny(rest, "#;", 0);
        if (comment >= 0) {
            pendingComment.append(rest.substring(comment).strip());
        }
    }

    private String takeComment() {
        String comment = pendingComment.toString().strip();
        pendingComment.setLength(0);
        return comment;
    }

    private static boolean surroundedBy(String text, char quote) {
        return text.length() >= 2 && text.charAt(0) == quote && text.charAt(text.length() - 1) == quote
                && text.indexOf(quote, 1) == text.length() - 1;
    }

    private static int indexOfAny(String text, String characters, int from) {
        for (int i = from; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private SecretsException error(int line, String message) {
        return new SecretsException(fileName + ": INI line " + line + ": " + message);
    }
}
