package org.gitopssync.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, or that moves on by a step each time it is read. */
public final class MutableClock extends Clock {

    private volatile Instant now;
    private final Duration stepPerRead;

    public MutableClock(Instant start) {
        this(start, Duration.ZERO);
    }

    private MutableClock(Instant start, Duration stepPerRead) {
        this.now = start;
        this.stepPerRead = stepPerRead;
    }

    /** A clock whose every reading is {@code step} after the one before: the readings' order is what a record shows. */
    public static MutableClock ticking(Instant start, Duration step) {
        return new MutableClock(start, step);
    }

    public static MutableClock atDefault() {
        return new MutableClock(Instant.parse("2025-06-02T10:00:00Z"));
    }

    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public synchronized Instant instant() {
        if (!stepPerRead.isZero()) {
            now = now.plus(stepPerRead);
        }
        return now;
    }
}
