package org.gitopssync.state;

import java.time.Instant;

/**
 * Why the agent deploys nothing: who suspended it (a person, or the agent itself on drift), since
 * when and why; on drift also the system it expected and the one the host runs.
 */
public record Suspension(String suspendedBy, Instant since, String reason, String expectedSystem,
        String runningSystem) {

    /** Whether the agent suspended itself because the running system drifted. */
    public boolean byDrift() {
        return runningSystem != null;
    }
}
