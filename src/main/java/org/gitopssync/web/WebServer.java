package org.gitopssync.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.gitopssync.config.ConfigException;
import org.gitopssync.config.WebSettings;
import org.gitopssync.forge.ForgeKind;
import org.gitopssync.forge.WebhookReceiver;
import org.gitopssync.reconcile.HostStatus;
import org.gitopssync.reconcile.ReportJson;
import org.jboss.logging.Logger;

/**
 * The daemon's HTTP endpoint, started only by the daemon: {@code /healthz}, {@code /api/status},
 * {@code /runs/<id>} (the page commit statuses link to), {@code /metrics} (Prometheus) and {@code POST /webhooks/<forge>}.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebServer.class);
    private static final ObjectMapper JSON = ReportJson.MAPPER;

    private final HttpServer server;
    private final ExecutorService worker;
    private Vertx owned;

    private WebServer(HttpServer server, ExecutorService worker) {
        this.server = server;
        this.worker = worker;
    }

    /**
     * Starts listening on a Vert.x of its own, closed with the server. Created here rather than at boot so that no
     * one-shot command starts event loops; one event loop and one worker are plenty for a few requests a minute
     * (requests never block: webhooks go to their own worker, status reads are a few indexed queries).
     */
    public static WebServer start(WebSettings settings, Routes routes) {
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                // serves no files: no .vertx cache directory in the working directory
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        try {
            WebServer web = start(vertx, settings, routes);
            web.owned = vertx;
            return web;
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** What the server shows and whom it tells about webhooks. */
    public record Routes(Supplier<HostStatus> status, RunPages runs, Map<ForgeKind, WebhookReceiver> webhooks,
            WebhookListener listener, Supplier<String> metrics) {

        /** Routes without {@code /metrics} (it answers 404). */
        public Routes(Supplier<HostStatus> status, RunPages runs, Map<ForgeKind, WebhookReceiver> webhooks,
                WebhookListener listener) {
            this(status, runs, webhooks, listener, null);
        }
    }

    /** Starts listening; status and runs are read per request (they take no lock). */
    public static WebServer start(Vertx vertx, WebSettings settings, Routes routes) {
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "webhook-worker");
            t.setDaemon(true);
            return t;
        });
        WebhookEndpoint webhooks = new WebhookEndpoint(routes.webhooks(), routes.listener(), worker);
        ConnectionLimits limits = new ConnectionLimits(vertx, settings.requestTimeout(), settings.maxConnections());
        // without cleartext HTTP/2 detection a connection is handed over at once, so the deadline
        // covers its first header bytes too (forges send HTTP/1.1)
        HttpServerOptions options = new HttpServerOptions()
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        HttpServer server = vertx.createHttpServer(options)
                .connectionHandler(limits::opened)
                .requestHandler(req -> {
                    limits.track(req);
                    handle(req, routes, webhooks);
                });
        try {
            server.listen(settings.port(), settings.address()).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new ConfigException("web: cannot listen on " + settings.address() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
        LOG.infof("web: listening on http://%s:%d%s", settings.address(), server.actualPort(),
                routes.webhooks().isEmpty() ? "" : " (webhooks: " + routes.webhooks().keySet() + ")");
        return new WebServer(server, worker);
    }

    public int port() {
        return server.actualPort();
    }

    private static void handle(HttpServerRequest req, Routes routes, WebhookEndpoint webhooks) {
        String path = req.path();
        try {
            if (path.startsWith("/webhooks/")) {
                webhooks.handle(req, path.substring("/webhooks/".length()));
            } else if (path.equals("/healthz")) {
                text(req, 200, "ok\n");
            } else if (path.equals("/api/status") && req.method().name().equals("GET")) {
                json(req, 200, routes.status().get());
            } else if (path.equals("/metrics") && req.method().name().equals("GET") && routes.metrics() != null) {
                // read per request like /api/status: a few indexed SQLite queries
                req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(routes.metrics().get());
            } else if (path.startsWith("/runs/") && req.method().name().equals("GET")) {
                routes.runs().page(path.substring("/runs/".length()))
                        .ifPresentOrElse(html -> req.response().putHeader("content-type", "text/html; charset=utf-8")
                                .end(html), () -> text(req, 404, "no such run\n"));
            } else {
                json(req, 404, Map.of("error", "not found: " + path));
            }
        } catch (RuntimeException e) {
            LOG.debugf("web: %s %s failed: %s", req.method(), path, e.getMessage());
            json(req, 500, Map.of("error", e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    static void text(HttpServerRequest req, int status, String body) {
        req.response().setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8").end(body);
    }

    private static void json(HttpServerRequest req, int status, Object body) {
        try {
            req.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            req.response().setStatusCode(500).end();
        }
    }

    @Override
    public void close() {
        server.close();
        worker.shutdown();
        if (owned != null) {
            owned.close();
        }
    }
}
