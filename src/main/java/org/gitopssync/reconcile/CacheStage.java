package org.gitopssync.reconcile;

import java.util.List;
import org.gitopssync.GitopsException;
import org.gitopssync.cache.CacheOutcome;
import org.gitopssync.cache.CachePublisher;
import org.gitopssync.cache.PushReport;
import org.gitopssync.cache.PushRequest;
import org.gitopssync.ci.CiResult;
import org.gitopssync.config.Settings;
import org.gitopssync.source.FetchedCommit;
import org.jboss.logging.Logger;

/**
 * The cycle's CACHE stage: pushes what the build produced to every cache whose permissions allow
 * this repository and branch. A failed push fails the cycle only for a {@code required} cache.
 */
final class CacheStage {

    private static final Logger LOG = Logger.getLogger(CacheStage.class);

    private final Settings settings;
    private final CachePublisher caches;
    private final String repository;

    CacheStage(Settings settings, CachePublisher caches, String repository) {
        this.settings = settings;
        this.caches = caches;
        this.repository = repository;
    }

    /** Returns what was pushed, for the summary ("; cache: ..."), or empty when there was nothing to push. */
    String run(CycleState cycle, FetchedCommit target, CiResult ci, CycleObserver observer) {
        if (caches.caches().isEmpty()) {
            return "";
        }
        List<String> outs = ci.successfulOutputs();
        if (outs.isEmpty()) {
            return "";
        }
        PushReport report = caches.publish(new PushRequest(repository, settings.repository().branch(), false, false,
                outs).withLogDir(settings.logDir().resolve("cache-" + cycle.id)), cycle.cancellation);
        report.summaryLines().forEach(line -> LOG.infof("cycle %d: cache: %s", cycle.id, line));
        observer.cached(cycle.id, target.sha(), report);
        if (report.requiredFailed()) {
            String which = String.join("; ", report.caches().stream().filter(CacheOutcome::failedRequired)
                    .map(CacheOutcome::summaryLine).toList());
            throw new RequiredCacheException(which);
        }
        return "; cache: " + report.description();
    }

    /** A cache marked {@code required} could not take the build's outputs. */
    static final class RequiredCacheException extends GitopsException {
        RequiredCacheException(String which) {
            super("required cache push failed, so nothing is activated: " + which);
        }
    }
}
