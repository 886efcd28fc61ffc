package org.gitopssync.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gitopssync.Cancellation;
import org.gitopssync.Sleeper;

/** Records the pauses asked for instead of sleeping. */
final class RecordingSleeper implements Sleeper {

    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration, Cancellation cancellation) {
        pauses.add(duration);
    }

    List<Duration> pauses() {
        return List.copyOf(pauses);
    }
}
