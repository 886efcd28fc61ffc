package org.gitopssync.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.gitopssync.DirectoryTree;
import org.gitopssync.ci.CiEngine;
import org.gitopssync.config.HistorySettings;
import org.gitopssync.config.SystemdDuration;
import org.gitopssync.state.CycleRetention;
import org.gitopssync.state.StateStore;
import org.jboss.logging.Logger;

/**
 * Keeps the history within {@code [history]}: after a cycle, at most once an hour per state directory, the finished
 * cycles past their retention lose their log file and cache push logs, then their rows; so do CI runs past
 * {@code keep} (their build logs, then their rows) and pull request check logs. A pass removes at most {@link #MAX_PER_PASS}, so
 * the first pass over years of polls does not hold up the next cycle for long; the next passes take the rest.
 */
final class HistoryRetention {

    private static final Logger LOG = Logger.getLogger(HistoryRetention.class);
    static final Duration EVERY = Duration.ofHours(1);
    static final int MAX_PER_PASS = 50_000;
    private static final int BATCH = 500;

    /** The CI engine's share: its runs past {@code keep} (see {@link CiEngine#removeRunsBefore}). */
    @FunctionalInterface
    interface CiRuns {
        int removeBefore(Instant keepAfter, int limit);
    }

    /** What one pass removed. */
    record Pass(int cycles, int ciRuns, int pullRequestLogs) {

        static final Pass NONE = new Pass(0, 0, 0);

        boolean removedAny() {
            return cycles + ciRuns + pullRequestLogs > 0;
        }
    }

    private final HistorySettings settings;
    private final CycleRetention cycles;
    private final CiRuns ciRuns;
    private final Path logDir;
    private final Path lastPass;
    private final Clock clock;

    /**
     * {@code lastPass}: a file whose modification time says when the last pass ended, so that the timer's one-shot
     * processes share the hourly gate with the daemon rather than each running a pass.
     */
    HistoryRetention(HistorySettings settings, StateStore store, CiRuns ciRuns, Path logDir, Path lastPass,
            Clock clock) {
        this.settings = settings;
        this.cycles = new CycleRetention(store);
        this.ciRuns = ciRuns;
        this.logDir = logDir.toAbsolutePath().normalize();
        this.lastPass = lastPass;
        this.clock = clock;
    }

    /** Removes what is past its retention if an hour has gone by since the last pass. */
    Pass runIfDue() {
        Instant now = clock.instant();
        Optional<Instant> last = lastPass();
        if (last.isPresent() && !now.isBefore(last.get()) && now.isBefore(last.get().plus(EVERY))) {
            // within the hour; a clock behind the last pass (a wrong one corrected) runs a pass now
            return Pass.NONE;
        }
        Pass pass = pass(now);
        markPass(now);
        return pass;
    }

    private Pass pass(Instant now) {
        Instant keepAfter = now.minus(settings.keep());
        int removed = 0;
        while (removed < MAX_PER_PASS) {
            List<CycleRetention.Expired> batch = cycles.expired(keepAfter, now.minus(settings.keepUnchanged()),
                    Math.min(BATCH, MAX_PER_PASS - removed));
            if (batch.isEmpty()) {
                break;
            }
            batch.forEach(this::deleteLogs);
            cycles.remove(batch.stream().map(CycleRetention.Expired::id).toList());
            removed += batch.size();
        }
        int runs = 0;
        for (int n = -1; n != 0 && runs < MAX_PER_PASS; runs += n) {
            n = ciRuns.removeBefore(keepAfter, Math.min(BATCH, MAX_PER_PASS - runs));
        }
        Pass pass = new Pass(removed, runs, removePullRequestLogs(keepAfter));
        if (pass.removedAny()) {
            LOG.infof("history: removed %d finished cycle%s, %d CI run%s and %d pull request check log%s (kept: %s, and"
                    + " %s of polls that found nothing to do; see [history])", pass.cycles(), plural(pass.cycles()),
                    pass.ciRuns(), plural(pass.ciRuns()), pass.pullRequestLogs(), plural(pass.pullRequestLogs()),
                    SystemdDuration.format(settings.keep()), SystemdDuration.format(settings.keepUnchanged()));
        }
        return pass;
    }

    private Optional<Instant> lastPass() {
        try {
            return Optional.of(Files.getLastModifiedTime(lastPass).toInstant());
        } catch (IOException e) {
            // none yet (or unreadable): a pass now
            return Optional.empty();
        }
    }

    /** After the pass: a process killed during one leaves the gate open for the next. */
    private void markPass(Instant now) {
        try {
            if (!Files.exists(lastPass)) {
                Files.createFile(lastPass);
            }
            Files.setLastModifiedTime(lastPass, FileTime.from(now));
        } catch (IOException e) {
            LOG.debugf("history: cannot record the pass in %s (%s); the next cycle runs one again", lastPass,
                    e.getMessage());
        }
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }

    /**
     * A pull request check's log ({@code logs/pr-<n>-<commit>.log}) is a file of its own, with no row: it goes once
     * it was last written before {@code keepAfter}.
     */
    private int removePullRequestLogs(Instant keepAfter) {
        int removed = 0;
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(logDir, "pr-*.log")) {
            for (Path log : logs) {
                try {
                    if (Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(log, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(keepAfter)) {
                        Files.delete(log);
                        removed++;
                    }
                } catch (NoSuchFileException e) {
                    // removed meanwhile: nothing left to do
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            LOG.warnf("history: cannot remove old pull request check logs in %s: %s", logDir, e.getMessage());
        }
        return removed;
    }

    /** The cycle's log and the logs of its cache pushes ({@code logs/cache-<id>/}, see {@link CacheStage}). */
    private void deleteLogs(CycleRetention.Expired cycle) {
        cycle.log().ifPresent(this::deleteLog);
        Path pushes = logDir.resolve("cache-" + cycle.id());
        try {
            DirectoryTree.delete(pushes);
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("history: cannot remove %s (%s); its cycle is forgotten, the files stay", pushes, e.getMessage());
        }
    }

    private void deleteLog(Path log) {
        Path file = log.toAbsolutePath().normalize();
        if (!logDir.equals(file.getParent())) {
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
