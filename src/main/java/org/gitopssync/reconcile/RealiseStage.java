package org.gitopssync.reconcile;

import java.time.Duration;
import java.util.List;
import org.gitopssync.ci.BuiltSystem;
import org.gitopssync.ci.CiResult;
import org.gitopssync.fleet.ReleaseRecord;
import org.gitopssync.fleet.SystemRealiser;
import org.gitopssync.source.FetchedCommit;
import org.jboss.logging.Logger;

/**
 * A fleet host's BUILD stage: nothing is evaluated or built; the verified release record's system is realised from
 * the trusted caches, and the result is what a build would have returned, with an empty CI run.
 */
final class RealiseStage implements SystemStage {

    private static final Logger LOG = Logger.getLogger(RealiseStage.class);

    private final SystemRealiser realiser;
    private final ReleaseRecord record;
    private final String where;

    RealiseStage(SystemRealiser realiser, ReleaseRecord record, String where) {
        this.realiser = realiser;
        this.record = record;
        this.where = where;
    }

    @Override
    public BuildResult run(CycleState cycle, FetchedCommit target, String flakeRef, CycleObserver observer) {
        LOG.infof("cycle %d: build: realising %s, released by %s (%s)", cycle.id, record.system(), record.builder(),
                where);
        realiser.realise(where, record, cycle.log, cycle.cancellation);
        CiResult none = new CiResult(0, "", target.sha(), List.of(), 0, Duration.ZERO, null);
        return new BuildResult(none, new BuiltSystem(record.host(), "release " + where, null, record.system()));
    }

    @Override
    public void release(BuildResult built) {
        // no CI run, so no GC roots: the profile holds the system now
    }
}
