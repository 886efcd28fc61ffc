package org.gitopssync.config.toml;

/** Reads TOML 1.0 text into tables and values; the first error ends the reading. */
public final class Toml {

    private Toml() {
    }

    /** A whole document. */
    public static TomlTable parse(String text) throws TomlParseException {
        return new TomlReader(text).document();
    }

    /** One value alone, e.g. {@code { key = "v" }} or {@code [1, 2]}, as the right-hand side of a key would be. */
    public static Object parseValue(String text) throws TomlParseException {
        return new TomlReader(text).singleValue();
    }
}
