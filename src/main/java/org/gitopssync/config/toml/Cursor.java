package org.gitopssync.config.toml;

/** A position in the TOML text that knows its line and column. */
final class Cursor {

    private final String text;
    private int index;
    private int line = 1;
    private int lineStart;

    Cursor(String text) {
        this.text = text;
    }

    boolean atEnd() {
        return index >= text.length();
    }

    /** The current character, or 0 at the end. */
    char peek() {
        return peek(0);
    }

    char peek(int ahead) {
        int i = index + ahead;
        return i < text.length() ? text.charAt(i) : 0;
    }

    boolean startsWith(String s) {
        return text.startsWith(s, index);
    }

    char next() {
        char c = text.charAt(index++);
        if (c == '\n') {
            line++;
            lineStart = index;
        }
        return c;
    }

    void skip(int n) {
        for (int i = 0; i < n; i++) {
            next();
        }
    }

    TomlPosition position() {
        return new TomlPosition(line, index - lineStart + 1);
    }

    TomlParseException error(String reason) {
        return new TomlParseException(position(), reason);
    }

    static TomlParseException error(TomlPosition at, String reason) {
        return new TomlParseException(at, reason);
    }

    /** Spaces and tabs. */
    void skipBlank() {
        while (peek() == ' ' || peek() == '\t') {
            index++;
        }
    }

    /** A line feed, or a carriage return and line feed. */
    boolean atNewline() {
        return peek() == '\n' || peek() == '\r' && peek(1) == '\n';
    }

    void skipNewline() {
        if (peek() == '\r') {
            index++;
        }
        next();
    }

    /** From {@code #} to the end of the line, which stays; control characters are refused in comments too. */
    void skipComment() throws TomlParseException {
        next();
        while (!atEnd() && !atNewline()) {
            checkAllowed(peek(), "a comment");
            index++;
        }
    }

    /** Blank space, comments and line breaks, as allowed between the elements of an array. */
    void skipBlankLinesAndComments() throws TomlParseException {
        while (true) {
            skipBlank();
            if (peek() == '#') {
                skipComment();
            } else if (atNewline()) {
                skipNewline();
            } else {
                return;
            }
        }
    }

    /** Refuses a control character other than tab where TOML allows none; {@code where} names the place. */
    void checkAllowed(char c, String where) throws TomlParseException {
        if (c == '\r') {
            throw error("a carriage return must be followed by a line feed");
        }
        if (c < 0x20 && c != '\t' || c == 0x7f) {
            throw error(String.format("the control character U+%04X is not allowed in %s", (int) c, where));
        }
    }

    /** The current character in words, for messages. */
    String describe() {
        if (atEnd()) {
            return "the end of the file";
        }
        if (atNewline()) {
            return "the end of the line";
        }
        char c = peek();
        if (c == '\r') {
            return "a carriage return without a line feed";
        }
        if (c < 0x20 || c == 0x7f) {
            return String.format("the control character U+%04X", (int) c);
        }
        return "`" + new String(Character.toChars(text.codePointAt(index))) + "`";
    }
}
