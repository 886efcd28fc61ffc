package org.gitopssync.forge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.gitopssync.Cancellation;
import org.gitopssync.Sleeper;
import org.gitopssync.testing.MutableClock;

/** Records the waits asked for and moves the clock instead of sleeping. */
final class RecordingSleeper implements Sleeper {

    private final MutableClock clock;
    private final List<Duration> waits = new ArrayList<>();

    RecordingSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void sleep(Duration duration, Cancellation cancellation) {
        waits.add(duration);
        clock.advance(duration);
    }

    synchronized List<Duration> waits() {
        return List.copyOf(waits);
    }
}
