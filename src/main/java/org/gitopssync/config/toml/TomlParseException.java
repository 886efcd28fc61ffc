package org.gitopssync.config.toml;

/** The first thing wrong in a TOML text, with where it is and what is wrong in plain words. */
public final class TomlParseException extends Exception {

    private final TomlPosition position;
    private final String reason;

    TomlParseException(TomlPosition position, String reason) {
        super(position + ": " + reason);
        this.position = position;
        this.reason = reason;
    }

    public TomlPosition position() {
        return position;
    }

    /** What is wrong, without the position. */
    public String reason() {
        return reason;
    }
}
