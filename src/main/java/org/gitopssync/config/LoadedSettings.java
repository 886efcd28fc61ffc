package org.gitopssync.config;

import java.util.List;

/** Settings plus the warnings found while loading them (unknown keys, likely typos). */
public record LoadedSettings(Settings settings, List<String> warnings) {
    public LoadedSettings {
        warnings = List.copyOf(warnings);
    }
}
