package org.gitopssync;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A cooperative stop signal for one cycle or build: set once, observed by stages and child processes. */
public final class Cancellation {

    private volatile String reason;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** A token that is never cancelled, for one-off calls. */
    public static Cancellation none() {
        return new Cancellation();
    }

    public void cancel(String why) {
        if (reason == null) {
            reason = why;
            listeners.forEach(Runnable::run);
        }
    }

    public boolean isCancelled() {
        return reason != null;
    }

    /** Why it was cancelled, or null. */
    public String reason() {
        return reason;
    }

    /** Runs {@code listener} on cancellation, at once if already cancelled. */
    public void onCancel(Runnable listener) {
        listeners.add(listener);
        if (reason != null) {
            listener.run();
        }
    }
}
