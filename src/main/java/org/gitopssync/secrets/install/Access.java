package org.gitopssync.secrets.install;

import java.util.Optional;

/**
 * Who may read an installed file, as the manifest declares it.
 *
 * @param owner a user name ({@code root} by default)
 * @param group a group name, or empty for the owner's primary group ({@code root} for root)
 * @param mode POSIX permission bits, e.g. {@code 0400}
 */
record Access(String owner, Optional<String> group, int mode) {

    static final int DEFAULT_MODE = 0400;

    static Access defaults() {
        return new Access("root", Optional.empty(), DEFAULT_MODE);
    }

    /** The mode as sops-nix writes it: four octal digits. */
    String modeText() {
        return String.format("%04o", mode);
    }

    /** Parses {@code "0400"} or {@code "440"}; the exception says why a mode is refused. */
    static int parseMode(String text) {
        if (!text.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("expected an octal mode such as \"0400\" or \"0440\", got \"" + text + "\"");
        }
        int mode = Integer.parseInt(text, 8);
        if ((mode & 0007) != 0) {
            throw new IllegalArgumentException("mode " + String.format("%04o", mode)
                    + " gives every user on the host access; grant a group instead (e.g. \"0440\" with group = ...)");
        }
        if ((mode & 0400) == 0) {
            throw new IllegalArgumentException("mode " + String.format("%04o", mode) + " does not let the owner read the file");
        }
        return mode;
    }
}
