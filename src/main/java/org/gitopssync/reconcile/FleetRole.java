package org.gitopssync.reconcile;

import org.gitopssync.source.FetchedCommit;

/**
 * What the {@code [fleet] role} changes in a cycle: which commit is deployed and how its system is obtained, and
 * what is published once the outputs are in the caches. {@link StandaloneRole} is today's agent.
 */
interface FleetRole {

    /** The commit to handle given the branch head, and its BUILD stage; or a reason to wait. */
    Deployable choose(CycleState cycle, FetchedCommit head);

    /** Whether this agent installs secrets and activates its own system. */
    default boolean deploys() {
        return true;
    }

    /** After the CACHE stage: what was published, for the summary ("; released ..."), or empty. */
    String publish(CycleState cycle, FetchedCommit target, BuildResult built);
}
