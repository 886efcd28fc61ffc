package org.gitopssync.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The live events of this process: numbers them, keeps the last {@link #RING} for a client that reconnects
 * with {@code Last-Event-ID}, and hands each to every subscriber without ever waiting for one.
 */
public final class EventJournal {

    /** Events kept for replay. */
    public static final int RING = 256;
    /** Events a subscriber may fall behind by before it is dropped; a whole replay fits. */
    static final int QUEUE = RING + 64;

    private final ArrayDeque<LiveEvent> ring = new ArrayDeque<>();
    private final Set<Subscription> subscribers = new LinkedHashSet<>();
    private final int queue;
    private long next = 1;

    public EventJournal() {
        this(QUEUE);
    }

    /** A journal whose subscribers may fall behind by {@code queue} events (tests use a small one). */
    EventJournal(int queue) {
        this.queue = queue;
    }

    /** Numbers and delivers one event; a subscriber whose queue is full is dropped, never waited for. */
    public synchronized LiveEvent publish(String type, String data) {
        LiveEvent event = new LiveEvent(next++, type, data);
        ring.addLast(event);
        if (ring.size() > RING) {
            ring.removeFirst();
        }
        subscribers.removeIf(s -> !s.offer(event));
        return event;
    }

    /**
     * Subscribes; with {@code lastEventId} the kept events after it are queued first, in the same step, so
     * none is missed or seen twice. {@code wakeup} runs (on the publisher's thread, so it must not block)
     * whenever an event is queued or the subscription is dropped.
     */
    public synchronized Subscription subscribe(Long lastEventId, Runnable wakeup) {
        Subscription s = new Subscription(this, queue, wakeup);
        if (lastEventId != null) {
            for (LiveEvent e : ring) {
                if (e.id() > lastEventId && !s.offer(e)) {
                    return s;
                }
            }
        }
        subscribers.add(s);
        return s;
    }

    synchronized void remove(Subscription s) {
        subscribers.remove(s);
    }

    /** How many clients follow the stream now. */
    public synchronized int subscribers() {
        return subscribers.size();
    }

    /** The kept events, oldest first. */
    public synchronized List<LiveEvent> recent() {
        return new ArrayList<>(ring);
    }
}
