package org.gitopssync.cache;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gitopssync.Cancellation;

/** Waits between upload attempts; cut short by cancellation. Injectable so tests never sleep. */
@FunctionalInterface
interface Sleeper {

    Sleeper SYSTEM = (duration, cancellation) -> {
        CountDownLatch cancelled = new CountDownLatch(1);
        cancellation.onCancel(cancelled::countDown);
        cancelled.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    };

    void sleep(Duration duration, Cancellation cancellation) throws InterruptedException;
}
