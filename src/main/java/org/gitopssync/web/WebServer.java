package org.gitopssync.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.gitopssync.config.WebSettings;
import org.gitopssync.reconcile.HostStatus;
import org.jboss.logging.Logger;

/** The daemon's HTTP endpoint: {@code /healthz} and {@code /api/status}; started only by the daemon. */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebServer.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final HttpServer server;

    private WebServer(HttpServer server) {
        this.server = server;
    }

    /** Starts listening; {@code status} is read on each request (it takes no lock). */
    public static WebServer start(Vertx vertx, WebSettings settings, Supplier<HostStatus> status) {
        HttpServer server = vertx.createHttpServer().requestHandler(req -> handle(req, status));
        try {
            server.listen(settings.port(), settings.address()).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new org.gitopssync.config.ConfigException("web: cannot listen on " + settings.address() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
        LOG.infof("web: listening on http://%s:%d", settings.address(), server.actualPort());
        return new WebServer(server);
    }

    public int port() {
        return server.actualPort();
    }

    private static void handle(HttpServerRequest req, Supplier<HostStatus> status) {
        String path = req.path();
        try {
            if (path.equals("/healthz")) {
                req.response().putHeader("content-type", "text/plain").end("ok\n");
            } else if (path.equals("/api/status") && req.method().name().equals("GET")) {
                json(req, 200, status.get());
            } else {
                json(req, 404, Map.of("error", "not found: " + path));
            }
        } catch (RuntimeException e) {
            LOG.debugf("web: %s %s failed: %s", req.method(), path, e.getMessage());
            json(req, 500, Map.of("error", e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private static void json(HttpServerRequest req, int status, Object body) {
        try {
            req.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            req.response().setStatusCode(500).end();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
