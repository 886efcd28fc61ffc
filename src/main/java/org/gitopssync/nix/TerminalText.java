package org.gitopssync.nix;

import java.util.regex.Pattern;

/** Output of nix and friends with the terminal's colour and cursor codes taken out. */
public final class TerminalText {

    private static final Pattern ESCAPES = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");

    private TerminalText() {
    }

    public static String plain(String s) {
        return ESCAPES.matcher(s).replaceAll("");
    }
}
