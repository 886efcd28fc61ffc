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

    /** A pull request check writes its log for hours: {@code keep} must not reach one still running. */
    static final Duration MIN_KEEP = Duration.ofDays(1);

    static HistorySettings from(ConfigSection s) {
        Duration keep = s.duration("keep", DEFAULT.keep(), MAX);
        if (keep.compareTo(MIN_KEEP) < 0) {
            throw s.error("keep", SystemdDuration.format(keep) + " is shorter than a day; CI runs and pull request checks"
                    + " can run longer than that, and their logs would go while they are written");
        }
        Duration keepUnchanged = s.duration("keep_unchanged", null, MAX);
        if (keepUnchanged == null) {
            // unset: the default week, or keep when that is shorter
            return new HistorySettings(keep, DEFAULT.keepUnchanged().compareTo(keep) > 0 ? keep : DEFAULT.keepUnchanged());
        }
        if (keepUnchanged.compareTo(keep) > 0) {
            throw s.error("keep_unchanged", SystemdDuration.format(keepUnchanged) + " is longer than history.keep ("
                    + SystemdDuration.format(keep) + "), after which every finished cycle goes; set keep_unchanged to at"
                    + " most keep");
        }
        return new HistorySettings(keep, keepUnchanged);
    }
}
