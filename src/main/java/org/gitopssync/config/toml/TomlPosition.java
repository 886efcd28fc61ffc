package org.gitopssync.config.toml;

/** Where something starts in a TOML text: 1-based line and column. */
public record TomlPosition(int line, int column) {

    @Override
    public String toString() {
        return "line " + line + ", column " + column;
    }
}
