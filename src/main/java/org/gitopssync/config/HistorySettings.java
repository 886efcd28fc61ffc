package org.gitopssync.config;

import java.time.Duration;

/**
 * {@code [history]}: how long finished cycles stay in the state database with their stage times and log files. A
 * poll that finds nothing to do records a cycle too, so without a limit the history grows with time, not with work.
 * Cycles that activated a system stay as the deployment history.
 */
public record HistorySettings(Duration keep, Duration keepUnchanged) {

    /** The defaults: three months of everything, a week of polls that found nothing to do. */
    public static final HistorySettings DEFAULT = new HistorySettings(Duration.ofDays(90), Duration.ofDays(7));

    /** History is kept for months or years, unlike the timeouts the other durations set. */
    static final Duration MAX = Duration.ofDays(3653);

    static HistorySettings from(ConfigSection s) {
        return new HistorySettings(s.duration("keep", DEFAULT.keep(), MAX),
                s.duration("keep_unchanged", DEFAULT.keepUnchanged(), MAX));
    }
}
