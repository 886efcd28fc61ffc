package org.gitopssync.config;

import java.util.Optional;
import java.util.function.Function;
import org.gitopssync.config.toml.Toml;
import org.gitopssync.config.toml.TomlParseException;
import org.gitopssync.config.toml.TomlTable;

/**
 * Reads a TOML file (the configuration, the repository's secrets manifest) with messages that name the file, line
 * and column. Text that no such file needs is refused before it parses: the reader descends recursively into nested
 * arrays and inline tables, and a huge input only costs time.
 */
public final class TomlFiles {

    /** Deepest nesting of arrays and inline tables (a table header {@code [[a]]} counts two). */
    static final int MAX_DEPTH = 32;

    /** A refusal: the 1-based line where the limit was passed and what was passed. */
    record Refusal(int line, String reason) {
    }

    private TomlFiles() {
    }

    /**
     * The document {@code text} read from {@code file}, at most {@code maxCharacters} long; what is wrong with it is
     * thrown as {@code failure} of a one-line message, with {@code whyShallow} saying why a refused file is unusual.
     */
    public static TomlTable read(String file, String text, int maxCharacters, String whyShallow,
            Function<String, ? extends RuntimeException> failure) {
        Optional<Refusal> refusal = check(text, maxCharacters);
        if (refusal.isPresent()) {
            throw failure.apply(file + ":" + refusal.get().line() + ": refused: " + refusal.get().reason() + " ("
                    + whyShallow + ")");
        }
        try {
            return Toml.parse(text);
        } catch (TomlParseException e) {
            throw failure.apply(file + ":" + e.position().line() + ": invalid TOML at column " + e.position().column()
                    + ": " + e.reason());
        }
    }

    /** The first limit the text passes, if any; {@code maxBytes} is the largest file accepted. */
    static Optional<Refusal> check(String text, int maxBytes) {
        if (text.length() > maxBytes) {
            return Optional.of(new Refusal(1, text.length() + " characters, more than the " + maxBytes / 1024
                    + " KiB accepted"));
        }
        int depth = 0;
        int line = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '#') {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'') {
                int end = stringEnd(text, i);
                line += count(text, i, end, '\n');
                i = end;
                continue;
            } else if (c == '[' || c == '{') {
                depth++;
                if (depth > MAX_DEPTH) {
                    return Optional.of(new Refusal(line, "arrays and inline tables nested deeper than "
                            + MAX_DEPTH + " levels"));
                }
            } else if ((c == ']' || c == '}') && depth > 0) {
                depth--;
            }
            i++;
        }
        return Optional.empty();
    }

    /** The index just past the string starting at {@code start}; the end of the text when it is unterminated. */
    private static int stringEnd(String text, int start) {
        char quote = text.charAt(start);
        boolean escapes = quote == '"';
        String triple = String.valueOf(quote).repeat(3);
        if (text.startsWith(triple, start)) {
            int i = start + 3;
            while (i < text.length()) {
                if (escapes && text.charAt(i) == '\\') {
                    i += 2;
                } else if (text.startsWith(triple, i)) {
                    // Up to two quotes may close the content just before the delimiter.
                    int j = i + 3;
                    while (j < text.length() && j < i + 5 && text.charAt(j) == quote) {
                        j++;
                    }
                    return j;
                } else {
                    i++;
                }
            }
            return text.length();
        }
        int i = start + 1;
        while (i < text.length() && text.charAt(i) != '\n') {
            char c = text.charAt(i);
            if (escapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                return i + 1;
            }
            i++;
        }
        return Math.min(i, text.length());
    }

    private static int count(String text, int from, int to, char c) {
        int n = 0;
        for (int i = from; i < to && i < text.length(); i++) {
            if (text.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
