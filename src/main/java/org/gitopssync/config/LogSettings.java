package org.gitopssync.config;

/** {@code [log]}: how the agent writes its log lines: plain text, or one JSON object per line for journald or Loki. */
public record LogSettings(Format format) {

    /** The line format. */
    public enum Format {
        TEXT, JSON
    }

    static LogSettings from(ConfigSection s) {
        return new LogSettings(s.choice("format", Format.class, Format.TEXT));
    }
}
