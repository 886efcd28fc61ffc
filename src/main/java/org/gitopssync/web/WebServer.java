package org.gitopssync.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.gitopssync.ReportJson;
import org.gitopssync.config.ConfigException;
import org.gitopssync.config.Credential;
import org.gitopssync.config.WebSettings;
import org.gitopssync.events.EventJournal;
import org.gitopssync.forge.ForgeKind;
import org.gitopssync.forge.WebhookReceiver;
import org.gitopssync.reconcile.HostStatus;
import org.jboss.logging.Logger;

/**
 * The daemon's HTTP endpoint, started only by the daemon: {@code /healthz}, {@code /api/*}, {@code /metrics}
 * (Prometheus), the HTML pages {@code /} and {@code /runs/...} (which commit statuses link to), their stylesheet and
 * script, and {@code POST /webhooks/<forge>}; one route table ({@link #routes()}) is what it answers.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebServer.class);
    private static final ObjectMapper JSON = ReportJson.MAPPER;

    private final HttpServer server;
    private final ExecutorService worker;
    private final List<Route> table;
    private Vertx owned;

    private WebServer(HttpServer server, ExecutorService worker, List<Route> table) {
        this.server = server;
        this.worker = worker;
        this.table = table;
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

    /**
     * What the server shows and whom it tells about webhooks. {@code readToken}, when not null, is what
     * {@code Authorization: Bearer} must carry for everything but {@code /healthz}, the webhooks and the assets;
     * {@code events} answers {@code /api/events} (404 while null).
     */
    public record Routes(Supplier<HostStatus> status, RunPages runs, Map<ForgeKind, WebhookReceiver> webhooks,
            WebhookListener listener, Supplier<String> metrics, WebhookResults webhookResults, Credential readToken,
            EventJournal events) {

        /** Routes with live events, open to every reader, whose webhook deliveries are not counted. */
        public Routes(Supplier<HostStatus> status, RunPages runs, Map<ForgeKind, WebhookReceiver> webhooks,
                WebhookListener listener, Supplier<String> metrics, EventJournal events) {
            this(status, runs, webhooks, listener, metrics, WebhookResults.NONE, null, events);
        }

        /** Routes without {@code /metrics} (it answers 404). */
        public Routes(Supplier<HostStatus> status, RunPages runs, Map<ForgeKind, WebhookReceiver> webhooks,
                WebhookListener listener) {
            this(status, runs, webhooks, listener, null);
        }

        /** Routes open to every reader, without live events, whose webhook deliveries are not counted. */
        public Routes(Supplier<HostStatus> status, RunPages runs, Map<ForgeKind, WebhookReceiver> webhooks,
                WebhookListener listener, Supplier<String> metrics) {
            this(status, runs, webhooks, listener, metrics, WebhookResults.NONE, null, null);
        }

        /** Routes open to every reader, without live events. */
        public Routes(Supplier<HostStatus> status, RunPages runs, Map<ForgeKind, WebhookReceiver> webhooks,
                WebhookListener listener, Supplier<String> metrics, WebhookResults webhookResults) {
            this(status, runs, webhooks, listener, metrics, webhookResults, null, null);
        }

        /** Routes whose webhook deliveries are not counted. */
        public Routes(Supplier<HostStatus> status, RunPages runs, Map<ForgeKind, WebhookReceiver> webhooks,
                WebhookListener listener, Supplier<String> metrics, Credential readToken,
                EventJournal events) {
            this(status, runs, webhooks, listener, metrics, WebhookResults.NONE, readToken, events);
        }
    }

    /** What a route serves: the HTTP API (described by {@code /api/openapi.yaml}), an HTML page, or a page's asset. */
    public enum RouteKind { API, PAGE, ASSET }

    /**
     * One route the server answers: a method, a path template ({@code {name}} stands for one path segment), what
     * it serves, and whether the read token guards it.
     */
    public record Route(String method, String path, RouteKind kind, boolean guarded,
            Handler<HttpServerRequest> handler) {

        boolean matches(String requestPath) {
            String[] want = path.split("/", -1);
            String[] got = requestPath.split("/", -1);
            if (want.length != got.length) {
                return false;
            }
            for (int i = 0; i < want.length; i++) {
                boolean param = want[i].startsWith("{") && want[i].endsWith("}");
                if (param ? got[i].isEmpty() : !want[i].equals(got[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Starts listening; status and runs are read per request (they take no lock). */
    public static WebServer start(Vertx vertx, WebSettings settings, Routes routes) {
        return start(vertx, settings, routes, EventStream.keepAlive(settings.idleTimeout()));
    }

    /** Starts listening, with {@code /api/events} keep-alives every {@code keepAlive}. */
    static WebServer start(Vertx vertx, WebSettings settings, Routes routes, Duration keepAlive) {
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "webhook-worker");
            t.setDaemon(true);
            return t;
        });
        WebhookEndpoint webhooks = new WebhookEndpoint(routes.webhooks(), routes.listener(), worker,
                routes.webhookResults());
        ConnectionLimits limits = new ConnectionLimits(vertx, settings.requestTimeout(), settings.maxConnections());
        EventStream stream = routes.events() == null ? null : new EventStream(vertx, routes.events(), keepAlive);
        Handler<HttpServerRequest> events = stream == null ? null : req -> {
            // a stream outlives the request deadline by design; the idle timeout still applies
            limits.streaming(req.connection());
            stream.handle(req);
        };
        List<Route> table = table(routes, webhooks, events, StaticAssets.load(), OpenApiDocument.load());
        ReadToken readToken = new ReadToken(routes.readToken());
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
                    handle(req, table, readToken);
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
        return new WebServer(server, worker, table);
    }

    public int port() {
        return server.actualPort();
    }

    /** The routes this server answers, in the order it tries them. */
    public List<Route> routes() {
        return table;
    }

    /** Every route; the HTML pages and assets read the store or the jar per request, like the API. */
    private static List<Route> table(Routes routes, WebhookEndpoint webhooks, Handler<HttpServerRequest> events,
            StaticAssets assets, OpenApiDocument openApi) {
        List<Route> t = new ArrayList<>();
        t.add(new Route("GET", "/healthz", RouteKind.API, false, req -> text(req, 200, "ok\n")));
        t.add(new Route("GET", "/api/status", RouteKind.API, true, req -> json(req, 200, routes.status().get())));
        t.add(new Route("GET", "/api/events", RouteKind.API, true, req -> {
            if (events == null) {
                json(req, 404, Map.of("error", "live events are not available"));
            } else {
                events.handle(req);
            }
        }));
        t.add(new Route("GET", "/api/openapi.yaml", RouteKind.API, true, openApi::serve));
        t.add(new Route("GET", "/metrics", RouteKind.API, true, req -> {
            if (routes.metrics() == null) {
                json(req, 404, Map.of("error", "not found: /metrics"));
            } else {
                // read per request like /api/status: a few indexed SQLite queries
                req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(routes.metrics().get());
            }
        }));
        t.add(new Route("POST", "/webhooks/{forge}", RouteKind.API, false,
                req -> webhooks.handle(req, req.path().substring("/webhooks/".length()))));
        Handler<HttpServerRequest> page = req -> routes.runs().page(req.path()).ifPresentOrElse(
                html -> req.response().putHeader("content-type", "text/html; charset=utf-8")
                        .putHeader("cache-control", "no-store").putHeader("x-content-type-options", "nosniff")
                        .putHeader("content-security-policy", "default-src 'self'; img-src 'self'; object-src 'none'")
                        .end(html),
                () -> text(req, 404, "no such page\n"));
        for (String path : List.of("/", "/runs/{id}", "/runs/pr/{forge}/{number}", "/runs/ci/{run}/log/{attribute}")) {
            t.add(new Route("GET", path, RouteKind.PAGE, true, page));
        }
        for (String path : StaticAssets.paths()) {
            t.add(new Route("GET", path, RouteKind.ASSET, false, req -> assets.serve(req, req.path())));
        }
        return List.copyOf(t);
    }

    private static void handle(HttpServerRequest req, List<Route> table, ReadToken readToken) {
        String path = req.path();
        try {
            // webhooks keep their own answer for every method and forge (404 naming the forge)
            Route route = path.startsWith("/webhooks/") ? table.stream().filter(r -> r.path().startsWith("/webhooks/"))
                    .findFirst().orElse(null) : table.stream()
                    .filter(r -> r.method().equals(req.method().name()) && r.matches(path)).findFirst().orElse(null);
            if (route == null) {
                json(req, 404, Map.of("error", "not found: " + path));
            } else if (route.guarded() && !readToken.admits(req.getHeader("authorization"))) {
                req.response().putHeader("www-authenticate", "Bearer realm=\"gitops-sync\"");
                text(req, 401, "this page needs the read token: Authorization: Bearer <token>\n");
            } else {
                route.handler().handle(req);
            }
        } catch (RuntimeException e) {
            LOG.debugf("web: %s %s failed: %s", req.method(), path, e.getMessage());
            json(req, 500, Map.of("error", e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    static void text(HttpServerRequest req, int status, String body) {
        req.response().setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8").end(body);
    }

    static void json(HttpServerRequest req, int status, Object body) {
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
