package org.gitopssync.events;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/** One client's place in the stream: a bounded queue it drains at its own pace, until it closes or falls behind. */
public final class Subscription implements AutoCloseable {

    private final EventJournal journal;
    private final BlockingQueue<LiveEvent> queue;
    private final Runnable wakeup;
    private volatile boolean dropped;

    Subscription(EventJournal journal, int capacity, Runnable wakeup) {
        this.journal = journal;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.wakeup = wakeup;
    }

    /** Queues an event without waiting; false (and dropped from then on) when the client fell too far behind. */
    boolean offer(LiveEvent event) {
        boolean queued = queue.offer(event);
        if (!queued) {
            dropped = true;
        }
        wakeup.run();
        return queued;
    }

    /** The next queued event, or null when there is none right now. */
    public LiveEvent poll() {
        return queue.poll();
    }

    /** The client fell behind by more than its queue holds and gets no more events. */
    public boolean dropped() {
        return dropped;
    }

    @Override
    public void close() {
        journal.remove(this);
    }
}
