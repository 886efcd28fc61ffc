package org.gitopssync.config.toml;

/** The four kinds of TOML string: basic, literal, and their multi-line forms. */
final class TomlStrings {

    private static final String ESCAPES = "\\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX";

    private TomlStrings() {
    }

    /** A string value of any kind; the cursor is on its first quote. */
    static String read(Cursor in) throws TomlParseException {
        if (in.startsWith("\"\"\"")) {
            return multiLine(in, '"');
        }
        if (in.startsWith("'''")) {
            return multiLine(in, '\'');
        }
        return singleLine(in);
    }

    /** A basic or literal string on one line, as values and quoted keys are written. */
    static String singleLine(Cursor in) throws TomlParseException {
        char quote = in.next();
        String kind = quote == '"' ? "a string" : "a literal string";
        StringBuilder out = new StringBuilder();
        while (true) {
            if (in.atEnd() || in.atNewline()) {
                throw in.error(kind.replace("a ", "the ") + " is not closed on its line (a closing " + quote
                        + " is missing); use " + String.valueOf(quote).repeat(3) + " for text over several lines");
            }
            char c = in.peek();
            if (c == quote) {
                in.next();
                return out.toString();
            }
            if (c == '\\' && quote == '"') {
                escape(in, out);
                continue;
            }
            in.checkAllowed(c, kind);
            out.append(in.next());
        }
    }

    private static String multiLine(Cursor in, char quote) throws TomlParseException {
        TomlPosition start = in.position();
        in.skip(3);
        if (in.atNewline()) {
            // A line break right after the opening quotes is not part of the string.
            in.skipNewline();
        }
        String kind = quote == '"' ? "a multi-line string" : "a multi-line literal string";
        StringBuilder out = new StringBuilder();
        while (true) {
            if (in.atEnd()) {
                throw Cursor.error(start, kind + " is never closed (with " + String.valueOf(quote).repeat(3) + ")");
            }
            char c = in.peek();
            if (c == quote) {
                int run = 0;
                while (in.peek(run) == quote) {
                    run++;
                }
                if (run >= 3) {
                    if (run > 5) {
                        throw in.error("more than five quotes in a row; at most two may end the text before "
                                + "the closing " + String.valueOf(quote).repeat(3));
                    }
                    out.append(String.valueOf(quote).repeat(run - 3));
                    in.skip(run);
                    return out.toString();
                }
                out.append(String.valueOf(quote).repeat(run));
                in.skip(run);
            } else if (c == '\\' && quote == '"') {
                if (lineEndingBackslash(in)) {
                    trimToNextText(in);
                } else {
                    escape(in, out);
                }
            } else if (in.atNewline()) {
                in.skipNewline();
                out.append('\n');
            } else {
                in.checkAllowed(c, kind);
                out.append(in.next());
            }
        }
    }

    /** A backslash followed only by blank space up to the end of its line. */
    private static boolean lineEndingBackslash(Cursor in) {
        int i = 1;
        while (in.peek(i) == ' ' || in.peek(i) == '\t') {
            i++;
        }
        return in.peek(i) == '\n' || in.peek(i) == '\r' && in.peek(i + 1) == '\n';
    }

    private static void trimToNextText(Cursor in) {
        in.next();
        while (in.peek() == ' ' || in.peek() == '\t' || in.atNewline()) {
            if (in.atNewline()) {
                in.skipNewline();
            } else {
                in.next();
            }
        }
    }

    private static void escape(Cursor in, StringBuilder out) throws TomlParseException {
        TomlPosition at = in.position();
        in.next();
        char c = in.atEnd() ? 0 : in.peek();
        switch (c) {
            case 'b' -> out.append('\b');
            case 't' -> out.append('\t');
            case 'n' -> out.append('\n');
            case 'f' -> out.append('\f');
            case 'r' -> out.append('\r');
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case 'u', 'U' -> {
                in.next();
                out.appendCodePoint(unicode(in, at, c == 'u' ? 4 : 8));
                return;
            }
            default -> throw Cursor.error(at, (c == 0 || in.atNewline() || c == ' ' || c == '\t'
                    ? "a backslash followed by nothing to escape" : "the escape \\" + c + " does not exist")
                    + "; the escapes are " + ESCAPES + " (write \\\\ for a backslash)");
        }
        in.next();
    }

    private static int unicode(Cursor in, TomlPosition at, int digits) throws TomlParseException {
        int value = 0;
        for (int i = 0; i < digits; i++) {
            int d = hexDigit(in.peek());
            if (d < 0) {
                throw Cursor.error(at, "a unicode escape needs exactly " + digits + " hexadecimal digits ("
                        + (digits == 4 ? "\\uXXXX" : "\\UXXXXXXXX") + ")");
            }
            // Eight digits can pass Integer.MAX_VALUE; anything past U+10FFFF is refused below either way.
            value = value > 0x10ffff ? value : value * 16 + d;
            in.next();
        }
        if (value > 0x10ffff || value >= 0xd800 && value <= 0xdfff) {
            throw Cursor.error(at, "the escape names no unicode character (surrogates and values past 10FFFF are not"
                    + " characters)");
        }
        return value;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
            return Character.toLowerCase(c) - 'a' + 10;
        }
        return -1;
    }
}
