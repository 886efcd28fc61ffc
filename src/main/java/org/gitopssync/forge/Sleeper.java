package org.gitopssync.forge;

import java.time.Duration;

/** Waits between retries; injectable so tests record the requested waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
