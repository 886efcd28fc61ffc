package org.gitopssync.config;

import java.time.Duration;

/** {@code [pull_requests]}: CI for pull requests (never secrets, never deploy). */
public record PullRequestSettings(boolean enable, boolean poll, Duration pollInterval, boolean plan) {

    static PullRequestSettings from(ConfigSection s) {
        return new PullRequestSettings(
                s.bool("enable", false),
                s.bool("poll", false),
                s.duration("poll_interval", Duration.ofMinutes(5)),
                s.bool("plan", true));
    }
}
