package org.gitopssync.web;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gitopssync.events.EventJournal;
import org.gitopssync.events.LiveEvent;
import org.gitopssync.events.Subscription;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/events}: the live events as Server-Sent Events, replayed from {@code Last-Event-ID}, with a
 * keep-alive comment between them. A client that reads too slowly is disconnected (it may reconnect and
 * replay), so no client ever holds up a cycle or grows the daemon's memory.
 */
final class EventStream {

    private static final Logger LOG = Logger.getLogger(EventStream.class);

    private final Vertx vertx;
    private final EventJournal journal;
    private final long keepAliveMillis;

    EventStream(Vertx vertx, EventJournal journal, Duration keepAlive) {
        this.vertx = vertx;
        this.journal = journal;
        this.keepAliveMillis = Math.max(1, keepAlive.toMillis());
    }

    /** The keep-alive period: 15 s, or half the idle timeout when that is shorter, so the stream is never idle. */
    static Duration keepAlive(Duration idleTimeout) {
        Duration fifteen = Duration.ofSeconds(15);
        Duration half = idleTimeout.dividedBy(2);
        return half.compareTo(fifteen) < 0 ? half : fifteen;
    }

    void handle(HttpServerRequest req) {
        Long last = lastEventId(req.getHeader("Last-Event-ID"));
        HttpServerResponse res = req.response();
        res.setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache, no-store")
                .putHeader("x-accel-buffering", "no");
        Client client = new Client(res, vertx.getOrCreateContext());
        client.subscription = journal.subscribe(last, client::wake);
        long timer = vertx.setPeriodic(keepAliveMillis, id -> {
            if (!res.closed() && !res.writeQueueFull()) {
                res.write(": keep-alive\n\n");
            }
        });
        client.timer = timer;
        res.closeHandler(v -> client.close());
        res.exceptionHandler(e -> client.close());
        // the headers go out now, not with the first event
        res.write(": connected\n\n");
        client.wake();
    }

    private static Long lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One connected client: drains its subscription on its connection's event loop, never faster than it reads. */
    private final class Client {
        private final HttpServerResponse res;
        private final Context context;
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile Subscription subscription;
        private volatile boolean closed;
        private long timer = -1;

        Client(HttpServerResponse res, Context context) {
            this.res = res;
            this.context = context;
        }

        /** Called by the publisher: must not block, so it only schedules a drain. */
        void wake() {
            if (scheduled.compareAndSet(false, true)) {
                context.runOnContext(v -> {
                    scheduled.set(false);
                    drain();
                });
            }
        }

        private void drain() {
            Subscription s = subscription;
            if (closed || s == null) {
                return;
            }
            if (s.dropped()) {
                LOG.debugf("web: an event stream client fell behind by %d events; disconnecting it",
                        EventJournal.RING);
                close();
                res.reset();
                return;
            }
            LiveEvent e;
            while (!res.writeQueueFull() && (e = s.poll()) != null) {
                res.write(e.sse());
            }
            if (res.writeQueueFull()) {
                res.drainHandler(v -> drain());
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            Subscription s = subscription;
            if (s != null) {
                s.close();
            }
        }
    }
}
