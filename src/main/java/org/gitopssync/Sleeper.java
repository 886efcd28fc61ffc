package org.gitopssync;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waits between attempts (uploads, status deliveries); cut short by cancellation. Injectable so tests never sleep. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = (duration, cancellation) -> {
        CountDownLatch cancelled = new CountDownLatch(1);
        cancellation.onCancel(cancelled::countDown);
        cancelled.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    };

    void sleep(Duration duration, Cancellation cancellation) throws InterruptedException;
}
