package org.gitopssync.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Keeps slow or too many clients from holding the listener: a connection gets {@code requestTimeout}
 * from its first byte (or from the previous answer, on a kept-alive connection) until its request is
 * answered, however slowly it trickles headers or body; past {@code maxConnections} new ones are closed.
 * The idle timeout (nothing sent either way) is Vert.x's own.
 */
final class ConnectionLimits {

    private static final Logger LOG = Logger.getLogger(ConnectionLimits.class);

    private final Vertx vertx;
    private final long requestTimeoutMillis;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<HttpConnection, Long> deadlines = new ConcurrentHashMap<>();

    ConnectionLimits(Vertx vertx, Duration requestTimeout, int maxConnections) {
        this.vertx = vertx;
        this.requestTimeoutMillis = Math.max(1, requestTimeout.toMillis());
        this.maxConnections = maxConnections;
    }

    /** A new connection: counted, refused past the cap, else given its first request's deadline. */
    void opened(HttpConnection connection) {
        connection.closeHandler(v -> {
            open.decrementAndGet();
            Long timer = deadlines.remove(connection);
            if (timer != null) {
                vertx.cancelTimer(timer);
            }
        });
        if (open.incrementAndGet() > maxConnections) {
            LOG.debugf("web: %d connections open, closing the one from %s", maxConnections, connection.remoteAddress());
            connection.close();
            return;
        }
        startDeadline(connection);
    }

    /** The request's answer is out: the next request on this connection gets a fresh deadline. */
    void track(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        request.response().endHandler(v -> startDeadline(connection));
    }

    /** The answer is a stream that stays open ({@code /api/events}): no deadline, the idle timeout still applies. */
    void streaming(HttpConnection connection) {
        Long timer = deadlines.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    private void startDeadline(HttpConnection connection) {
        long timer = vertx.setTimer(requestTimeoutMillis, id -> {
            if (deadlines.remove(connection, id)) {
                LOG.debugf("web: no complete request from %s within %d ms, closing", connection.remoteAddress(),
                        requestTimeoutMillis);
                connection.close();
            }
        });
        Long previous = deadlines.put(connection, timer);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
    }
}
