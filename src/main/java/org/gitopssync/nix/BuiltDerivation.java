package org.gitopssync.nix;

import java.util.Map;

/** A realised derivation: its .drv and its output paths by output name. */
public record BuiltDerivation(String drvPath, Map<String, String> outputs) {

    public BuiltDerivation {
        outputs = Map.copyOf(outputs);
    }

    /** The {@code out} output, or the only one. */
    public String out() {
        String out = outputs.get("out");
        return out != null ? out : outputs.values().iterator().next();
    }
}
