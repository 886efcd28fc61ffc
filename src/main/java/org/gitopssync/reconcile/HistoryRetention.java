package org.gitopssync.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.gitopssync.DirectoryTree;
import org.gitopssync.config.HistorySettings;
import org.gitopssync.config.SystemdDuration;
import org.gitopssync.state.CycleRetention;
import org.gitopssync.state.StateStore;
import org.jboss.logging.Logger;

/**
 * Keeps the cycle history within {@code [history]}: after a cycle, at most once an hour per process, the finished
 * cycles past their retention lose their log file and cache push logs, then their rows. A pass removes at most {@link #MAX_PER_PASS}, so
 * the first pass over years of polls does not hold up the next cycle for long; the next passes take the rest.
 */
final class HistoryRetention {

    private static final Logger LOG = Logger.getLogger(HistoryRetention.class);
    static final Duration EVERY = Duration.ofHours(1);
    static final int MAX_PER_PASS = 50_000;
    private static final int BATCH = 500;

    private final HistorySettings settings;
    private final CycleRetention cycles;
    private final Path logDir;
    private final Clock clock;
    private Instant due = Instant.MIN;

    HistoryRetention(HistorySettings settings, StateStore store, Path logDir, Clock clock) {
        this.settings = settings;
        this.cycles = new CycleRetention(store);
        this.logDir = logDir.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** Removes what is past its retention if an hour has gone by since the last pass; returns how many cycles. */
    int runIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(due)) {
            return 0;
        }
        due = now.plus(EVERY);
        int removed = 0;
        while (removed < MAX_PER_PASS) {
            List<CycleRetention.Expired> batch = cycles.expired(now.minus(settings.keep()),
                    now.minus(settings.keepUnchanged()), Math.min(BATCH, MAX_PER_PASS - removed));
            if (batch.isEmpty()) {
                break;
            }
            batch.forEach(this::deleteLogs);
            cycles.remove(batch.stream().map(CycleRetention.Expired::id).toList());
            removed += batch.size();
        }
        if (removed > 0) {
            LOG.infof("history: removed %d finished cycle%s and their logs (kept: %s of cycles, %s of polls that found"
                    + " nothing to do; see [history])", removed, removed == 1 ? "" : "s",
                    SystemdDuration.format(settings.keep()), SystemdDuration.format(settings.keepUnchanged()));
        }
        return removed;
    }

    /** The cycle's log and the logs of its cache pushes ({@code logs/cache-<id>/}, see {@link CacheStage}). */
    private void deleteLogs(CycleRetention.Expired cycle) {
        cycle.log().ifPresent(this::deleteLog);
        Path pushes = logDir.resolve("cache-" + cycle.id());
        try {
            DirectoryTree.delete(pushes);
        } catch (IOException e) {
            LOG.warnf("history: cannot remove %s (%s); its cycle is forgotten, the files stay", pushes, e.getMessage());
        }
    }

    private void deleteLog(Path log) {
        Path file = log.toAbsolutePath().normalize();
        if (!file.startsWith(logDir)) {
            // a path outside the agent's own log directory was not written by it: not the agent's to delete
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("history: cannot remove %s (%s); its cycle is forgotten, the file stays", file, e.getMessage());
        }
    }
}
