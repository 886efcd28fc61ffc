package org.gitopssync.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GitHub's commit status API ({@code POST /repos/<owner>/<repo>/statuses/<sha>}) on 127.0.0.1, for a separate
 * agent process: records what it accepted, and can hang every request until released (a forge that stopped
 * answering).
 */
final class StatusApiDouble implements AutoCloseable {

    /** One status the forge accepted. */
    record Accepted(String sha, String context, String state) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Accepted> accepted = new ArrayList<>();
    private final AtomicInteger held = new AtomicInteger();
    private volatile CountDownLatch release = new CountDownLatch(0);
    private volatile boolean dropped;

    StatusApiDouble() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on every request waits, unanswered, until {@link #dropHeldAndAnswer()}. */
    void hang() {
        dropped = false;
        release = new CountDownLatch(1);
    }

    /**
     * Ends the hang: requests waiting now are refused with 503 and not recorded (the process that sent them is
     * gone; the forge never accepted them), later ones are answered.
     */
    void dropHeldAndAnswer() {
        dropped = true;
        release.countDown();
    }

    /** Requests waiting for an answer right now. */
    int held() {
        return held.get();
    }

    synchronized List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    /** The last state accepted per context for a commit. */
    synchronized Map<String, String> finalStates(String sha) {
        Map<String, String> out = new LinkedHashMap<>();
        accepted.stream().filter(a -> a.sha().equals(sha)).forEach(a -> out.put(a.context(), a.state()));
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            CountDownLatch gate = release;
            if (gate.getCount() > 0) {
                held.incrementAndGet();
                try {
                    gate.await(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    held.decrementAndGet();
                }
                if (dropped) {
                    reply(exchange, 503, "{\"message\":\"Service Unavailable\"}");
                    return;
                }
            }
            if (!exchange.getRequestMethod().equals("POST") || !path.matches("/repos/[^/]+/[^/]+/statuses/[0-9a-f]{40}")) {
                reply(exchange, 404, "{\"message\":\"Not Found\"}");
                return;
            }
            JsonNode json = JSON.readTree(body);
            synchronized (this) {
                accepted.add(new Accepted(path.substring(path.lastIndexOf('/') + 1), json.path("context").asText(),
                        json.path("state").asText()));
            }
            reply(exchange, 201, "{\"id\":1}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        dropHeldAndAnswer();
        server.stop(0);
        executor.shutdownNow();
    }
}
