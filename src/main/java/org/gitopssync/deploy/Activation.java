package org.gitopssync.deploy;

/**
 * How an activation ended, including what rollback did when it failed; {@code failedProbe} names the health
 * probe that failed when the health gate rolled the system back, else null.
 */
public record Activation(ActivationStatus status, Integer generation, Integer previousGeneration, String error,
        ProbeOutcome failedProbe) {

    public Activation(ActivationStatus status, Integer generation, Integer previousGeneration, String error) {
        this(status, generation, previousGeneration, error, null);
    }

    public boolean succeeded() {
        return status == ActivationStatus.SUCCEEDED;
    }

    /** Whether the new system ran, failed a health probe, and the previous one was put back. */
    public boolean rolledBackByGate() {
        return failedProbe != null && status == ActivationStatus.ROLLED_BACK;
    }
}
