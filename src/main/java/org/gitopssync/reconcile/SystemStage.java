package org.gitopssync.reconcile;

import org.gitopssync.source.FetchedCommit;

/**
 * The cycle's BUILD stage, however the system is obtained: built here by the CI engine ({@link BuildStage}) or
 * realised from a builder's release ({@link RealiseStage}). Both return the same {@link BuildResult}.
 */
interface SystemStage {

    BuildResult run(CycleState cycle, FetchedCommit target, String flakeRef, CycleObserver observer);

    /** Once the system is what the host runs, what kept it alive until then may go. */
    void release(BuildResult built);
}
