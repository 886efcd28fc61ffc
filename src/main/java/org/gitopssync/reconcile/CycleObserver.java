package org.gitopssync.reconcile;

import org.gitopssync.cache.PushReport;
import org.gitopssync.ci.CiResult;

/** Hears about a cycle's progress (forge statuses, metrics); must never block or throw into the cycle. */
public interface CycleObserver {

    /** A cycle is about to start: send what earlier processes could not deliver. */
    default void resumed() {
    }

    /** The cycle accepted this commit as its target and starts building it. */
    default void started(long cycleId, String commit) {
    }

    /** The CI engine finished evaluating and building the commit. */
    default void built(long cycleId, String commit, CiResult result) {
    }

    /** The build's outputs were pushed (or not) to the caches. */
    default void cached(long cycleId, String commit, PushReport report) {
    }

    /** The cycle ended, whatever the outcome. */
    default void finished(CycleReport report) {
    }

    static CycleObserver none() {
        return new CycleObserver() {
        };
    }
}
