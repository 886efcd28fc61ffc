package org.gitopssync.reconcile;

import org.gitopssync.source.FetchedCommit;

/** {@code role = "standalone"}: build the branch head here, publish nothing. */
final class StandaloneRole implements FleetRole {

    private final BuildStage build;

    StandaloneRole(BuildStage build) {
        this.build = build;
    }

    @Override
    public Deployable choose(CycleState cycle, FetchedCommit head) {
        return Deployable.of(head, build);
    }

    @Override
    public String publish(CycleState cycle, FetchedCommit target, BuildResult built) {
        return "";
    }
}
