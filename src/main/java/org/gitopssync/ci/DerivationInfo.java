package org.gitopssync.ci;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A store derivation as the build graph needs it: outputs (path null when not known in advance) and inputs. */
record DerivationInfo(String drvPath, Map<String, String> outputs, Set<String> inputDrvs) {

    DerivationInfo {
        // Map.copyOf refuses null values, and floating content-addressed outputs have no path yet
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        inputDrvs = Set.copyOf(inputDrvs);
    }

    /** {@code hello-2.12} for {@code /nix/store/<hash>-hello-2.12.drv}. */
    String name() {
        return nameOf(drvPath);
    }

    static String nameOf(String drvPath) {
        String base = drvPath.substring(drvPath.lastIndexOf('/') + 1);
        int dash = base.indexOf('-');
        String name = dash >= 0 ? base.substring(dash + 1) : base;
        return name.endsWith(".drv") ? name.substring(0, name.length() - 4) : name;
    }

    /** Whether every output path is known before building. */
    boolean outputPathsKnown() {
        return outputs.values().stream().allMatch(p -> p != null);
    }
}
