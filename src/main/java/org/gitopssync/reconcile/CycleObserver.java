package org.gitopssync.reconcile;

import java.time.Duration;
import java.util.List;
import org.gitopssync.cache.PushReport;
import org.gitopssync.ci.CiResult;
import org.jboss.logging.Logger;

/** Hears about a cycle's progress (forge statuses, metrics); must never block or throw into the cycle. */
public interface CycleObserver {

    /** A cycle is about to start: send what earlier processes could not deliver. */
    default void resumed() {
    }

    /** A cycle was recorded as running; what it will work on is not known yet. */
    default void cycleStarted(long cycleId, String trigger) {
    }

    /** A cycle entered a stage ({@link Stage#word()}); {@code commit} is null until the source stage chose one. */
    default void stageEntered(long cycleId, String commit, String stage) {
    }

    /** The cycle accepted this commit as its target and starts building it. */
    default void started(long cycleId, String commit) {
    }

    /** A stage of the cycle (source, secrets, build, cache, deploy) ended, however, after {@code took}. */
    default void stageFinished(long cycleId, Stage stage, Duration took) {
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

    /**
     * A host event ({@code deployed}, {@code failed}, {@code drift}...), delivered after the cycle
     * is recorded, so nothing an observer does can change its outcome.
     */
    default void event(CycleEvent event) {
    }

    /** Tells every observer in turn; one that throws does not keep the others from hearing. */
    public static CycleObserver all(List<CycleObserver> observers) {
        List<CycleObserver> list = List.copyOf(observers);
        return new CycleObserver() {
            @Override
            public void resumed() {
                list.forEach(o -> guarded(o::resumed));
            }

            @Override
            public void cycleStarted(long cycleId, String trigger) {
                list.forEach(o -> guarded(() -> o.cycleStarted(cycleId, trigger)));
            }

            @Override
            public void stageEntered(long cycleId, String commit, String stage) {
                list.forEach(o -> guarded(() -> o.stageEntered(cycleId, commit, stage)));
            }

            @Override
            public void started(long cycleId, String commit) {
                list.forEach(o -> guarded(() -> o.started(cycleId, commit)));
            }

            @Override
            public void stageFinished(long cycleId, Stage stage, Duration took) {
                list.forEach(o -> guarded(() -> o.stageFinished(cycleId, stage, took)));
            }

            @Override
            public void built(long cycleId, String commit, CiResult result) {
                list.forEach(o -> guarded(() -> o.built(cycleId, commit, result)));
            }

            @Override
            public void cached(long cycleId, String commit, PushReport report) {
                list.forEach(o -> guarded(() -> o.cached(cycleId, commit, report)));
            }

            @Override
            public void finished(CycleReport report) {
                list.forEach(o -> guarded(() -> o.finished(report)));
            }

            @Override
            public void event(CycleEvent event) {
                list.forEach(o -> guarded(() -> o.event(event)));
            }

            private void guarded(Runnable r) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    Logger.getLogger(CycleObserver.class).warnf("a cycle observer failed: %s",
                            e.getMessage());
                }
            }
        };
    }

    static CycleObserver none() {
        return new CycleObserver() {
        };
    }
}
