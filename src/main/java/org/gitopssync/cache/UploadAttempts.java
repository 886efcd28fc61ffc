package org.gitopssync.cache;

import java.time.Duration;
import java.util.regex.Pattern;
import org.gitopssync.Cancellation;
import org.gitopssync.Sleeper;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.nix.NixException;
import org.jboss.logging.Logger;

/** Runs an upload, again after a growing pause when the failure looks transient (network, server 5xx, timeouts). */
final class UploadAttempts {

    private static final Logger LOG = Logger.getLogger(UploadAttempts.class);

    // Failures no retry can fix: credentials, permissions, a cache that does not exist, a broken closure.
    private static final Pattern PERMANENT = Pattern.compile(
            "(?i)\\b(401|403)\\b|unauthori[sz]ed|forbidden|permission denied|access denied|invalid token"
                    + "|no such cache|does not exist|not found|is not valid|not a valid store path|is not allowed");

    /** The last attempt's result and how many attempts were made. */
    record Attempted(CommandResult result, int attempts) {
    }

    private final CommandRunner runner;
    private final Sleeper sleeper;
    private final Duration firstPause;
    private final Duration maxPause;

    UploadAttempts(CommandRunner runner, Sleeper sleeper, Duration firstPause, Duration maxPause) {
        this.runner = runner;
        this.sleeper = sleeper;
        this.firstPause = firstPause;
        this.maxPause = maxPause;
    }

    Attempted run(UploadJob job, CachePusher pusher, Cancellation cancellation) {
        int attempt = 0;
        while (true) {
            attempt++;
            CommandResult result;
            try {
                result = runner.run(pusher.command(job), cancellation);
            } catch (NixException e) {
                throw new CacheException(job.cache().id(), job.cache().destination(), job.redacted(e.getMessage()), e);
            }
            if (result.succeeded() || cancellation.isCancelled() || attempt > job.cache().retries()
                    || !transientFailure(result)) {
                return new Attempted(result, attempt);
            }
            Duration pause = pause(attempt);
            LOG.debugf("cache %s: attempt %d failed (%s); retrying in %s", job.cache().id(), attempt,
                    job.redacted(result.failureSummary()), pause);
            try {
                sleeper.sleep(pause, cancellation);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Attempted(result, attempt);
            }
            if (cancellation.isCancelled()) {
                return new Attempted(result, attempt);
            }
        }
    }

    /** The pause after attempt {@code n}: first, doubled each time, capped. */
    Duration pause(int n) {
        Duration p = firstPause;
        for (int i = 1; i < n && p.compareTo(maxPause) < 0; i++) {
            p = p.multipliedBy(2);
        }
        return p.compareTo(maxPause) > 0 ? maxPause : p;
    }

    static boolean transientFailure(CommandResult r) {
        return switch (r.termination()) {
            case TIMED_OUT, SILENT_TOO_LONG -> true;
            case CANCELLED -> false;
            case EXITED -> r.outputTail().stream().noneMatch(l -> PERMANENT.matcher(l).find());
        };
    }
}
