package org.gitopssync.deploy;

import org.gitopssync.state.DeploymentRecord.Status;

/** How an activation ended, including what rollback did when it failed. */
public record Activation(Status status, Integer generation, Integer previousGeneration, String error) {

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }
}
