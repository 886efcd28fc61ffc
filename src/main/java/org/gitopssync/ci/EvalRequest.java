package org.gitopssync.ci;

import java.nio.file.Path;
import java.util.List;

/**
 * What to evaluate: the commit's flake, the checks of one system (when {@code checks}), and
 * the systems of the listed hosts, or of every host the flake defines when {@code allHosts}.
 */
record EvalRequest(
        String flakeRef,
        String checksAttribute,
        String system,
        boolean checks,
        List<String> hosts,
        boolean allHosts,
        Path log,
        Path gcRootsDir) {

    EvalRequest {
        hosts = List.copyOf(hosts);
    }

    /** What a human would call the evaluated attributes, for log lines. */
    String describe() {
        StringBuilder b = new StringBuilder();
        if (checks) {
            b.append(checksAttribute).append('.').append(system);
        }
        if (allHosts || !hosts.isEmpty()) {
            b.append(b.length() == 0 ? "" : " and ").append(allHosts ? "every host's system" : "the system of " + String.join(", ", hosts));
        }
        return b.length() == 0 ? "nothing" : b.toString();
    }
}
