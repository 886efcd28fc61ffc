package org.gitopssync.forge;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Decides how long to wait before the next attempt, or that there is none. */
final class RetryPolicy {

    /** GitHub: after a secondary rate limit without Retry-After, wait at least one minute. */
    static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);
    private static final Duration MIN_SERVER_WAIT = Duration.ofSeconds(1);

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxWait;

    RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxWait) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxWait = maxWait;
    }

    /** The wait before attempt {@code attemptsSoFar + 1}, empty when the status should be dropped. */
    Optional<Duration> nextWait(RetryAdvice advice, int attemptsSoFar, Instant now) {
        if (advice.kind() == RetryAdvice.Kind.NEVER || attemptsSoFar >= maxAttempts) {
            return Optional.empty();
        }
        Duration backoff = backoff(attemptsSoFar);
        Duration wait = switch (advice.kind()) {
            case BACKOFF -> backoff;
            // A reset already past (clock skew) still gets a moment, or we would hammer the limit.
            case NOT_BEFORE -> max(Duration.between(now, advice.notBefore()), MIN_SERVER_WAIT);
            case SECONDARY_LIMIT -> max(SECONDARY_LIMIT_WAIT, backoff);
            case NEVER -> throw new IllegalStateException("unreachable");
        };
        return Optional.of(wait.compareTo(maxWait) > 0 ? maxWait : wait);
    }

    private Duration backoff(int attemptsSoFar) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attemptsSoFar && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
