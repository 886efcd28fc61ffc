package org.gitopssync.deploy;

import org.gitopssync.state.DeploymentRecord.Status;

/**
 * How an activation ended, including what rollback did when it failed; {@code failedProbe} names the health
 * probe that failed when the health gate rolled the system back, else null.
 */
public record Activation(Status status, Integer generation, Integer previousGeneration, String error,
        ProbeOutcome failedProbe) {

    public Activation(Status status, Integer generation, Integer previousGeneration, String error) {
        this(status, generation, previousGeneration, error, null);
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    /** Whether the new system ran, failed a health probe, and the previous one was put back. */
    public boolean rolledBackByGate() {
        return failedProbe != null && status == Status.ROLLED_BACK;
    }
}
