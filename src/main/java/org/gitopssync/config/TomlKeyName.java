package org.gitopssync.config;

/** The configuration key a settings record component stands for: {@code pollInterval} is {@code poll_interval}. */
final class TomlKeyName {

    private TomlKeyName() {
    }

    /**
     * An underscore between a lower-case letter or digit and the upper-case letter after it, then all lower case.
     * Written out rather than as a regular expression: every command walks the settings records with it, and a
     * pattern compiled per component cost a one-shot start milliseconds.
     */
    static String of(String component) {
        StringBuilder key = new StringBuilder(component.length() + 4);
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char before = i > 0 ? component.charAt(i - 1) : ' ';
                if (before >= 'a' && before <= 'z' || before >= '0' && before <= '9') {
                    key.append('_');
                }
                key.append((char) (c + ('a' - 'A')));
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }
}
