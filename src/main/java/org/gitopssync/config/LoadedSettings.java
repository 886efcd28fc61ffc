package org.gitopssync.config;

import java.util.List;
import java.util.Set;

/**
 * Settings plus the warnings found while loading them (unknown keys, likely typos) and every key
 * the agent read, dotted, with {@code *} for an array of tables' entries ({@code caches.*.type}).
 */
public record LoadedSettings(Settings settings, List<String> warnings, Set<String> readKeys) {
    public LoadedSettings {
        warnings = List.copyOf(warnings);
        readKeys = Set.copyOf(readKeys);
    }
}
