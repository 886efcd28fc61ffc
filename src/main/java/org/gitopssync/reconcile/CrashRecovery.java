package org.gitopssync.reconcile;

import java.time.Clock;
import java.util.List;
import org.gitopssync.cache.CachePublisher;
import org.gitopssync.ci.CiEngine;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.StateStore;
import org.jboss.logging.Logger;

/**
 * Closes what a killed or crashed process left behind, under the cycle lock before a cycle starts:
 * its cycle (as abandoned, in the stage it died in), its CI runs and their GC roots, and its
 * private scratch files (cache tokens, tool configs).
 */
final class CrashRecovery {

    private static final Logger LOG = Logger.getLogger(CrashRecovery.class);

    private final StateStore store;
    private final CiEngine ci;
    private final CachePublisher caches;
    private final Clock clock;

    CrashRecovery(StateStore store, CiEngine ci, CachePublisher caches, Clock clock) {
        this.store = store;
        this.ci = ci;
        this.caches = caches;
        this.clock = clock;
    }

    /** Closes what dead processes left; returns the cycles it closed as abandoned, for their observers. */
    List<CycleRecord> run() {
        List<CycleRecord> abandoned = store.abandonRunningCycles(clock.instant());
        for (CycleRecord dead : abandoned) {
            LOG.warnf("cycle %d: abandoned in %s (the agent stopped during it); closed", dead.id(), dead.stage());
        }
        ci.closeAbandonedRuns();
        int scratch = caches.removeLeftoverScratch();
        if (scratch > 0) {
            LOG.infof("removed %d private scratch director%s left by a stopped process", scratch,
                    scratch == 1 ? "y" : "ies");
        }
        return abandoned;
    }
}
