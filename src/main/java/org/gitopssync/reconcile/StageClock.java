package org.gitopssync.reconcile;

import java.time.Duration;
import java.util.Optional;

/** How long each stage of one cycle took, on the monotonic clock: a stage ends when the next begins or the cycle ends. */
final class StageClock {

    /** A stage that ended and how long it ran. */
    record Timed(Stage stage, Duration took) {
    }

    private Stage current;
    private long since;

    /** Starts {@code next}; returns the stage it ends, if one was running. */
    Optional<Timed> enter(Stage next) {
        Optional<Timed> ended = end();
        current = next;
        since = System.nanoTime();
        return ended;
    }

    /** Ends the running stage, if any. */
    Optional<Timed> end() {
        if (current == null) {
            return Optional.empty();
        }
        Timed t = new Timed(current, Duration.ofNanos(System.nanoTime() - since));
        current = null;
        return Optional.of(t);
    }
}
