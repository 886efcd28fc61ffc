package org.gitopssync.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code [nix]}: options passed to every nix invocation as {@code --option name value}. */
public record NixSettings(Map<String, String> options) {

    public NixSettings {
        options = Map.copyOf(options);
    }

    static NixSettings from(ConfigSection s) {
        ConfigSection opts = s.section("options");
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : opts.presentKeys()) {
            out.put(key, opts.string(key, ""));
        }
        return new NixSettings(out);
    }

    static NixSettings none() {
        return new NixSettings(Map.of());
    }
}
