package org.gitopssync.forge;

import java.util.LinkedHashMap;
import java.util.Map;

/** Remembers recent webhook delivery ids to spot replays and redeliveries; bounded, least recently seen go first. */
final class DeliveryLog {

    private final Map<String, Boolean> seen;

    DeliveryLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("delivery log capacity must be positive");
        }
        this.seen = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records the id; true the first time it is seen. */
    synchronized boolean firstSeen(String deliveryId) {
        return seen.put(deliveryId, Boolean.TRUE) == null;
    }

    synchronized int size() {
        return seen.size();
    }
}
