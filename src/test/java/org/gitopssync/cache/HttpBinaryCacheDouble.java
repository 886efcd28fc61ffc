package org.gitopssync.cache;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP binary cache on 127.0.0.1 that nix can {@code nix copy --to} (PUT) and read (GET/HEAD):
 * nix-cache-info, narinfo and nar files kept in memory, every request recorded.
 */
final class HttpBinaryCacheDouble implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    HttpBinaryCacheDouble() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        files.put("/nix-cache-info", "StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 40\n"
                .getBytes(StandardCharsets.UTF_8));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** "METHOD /path" for every request so far. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    long count(String method, String suffix) {
        return requests.stream().filter(r -> r.startsWith(method + " ") && r.endsWith(suffix)).count();
    }

    boolean has(String path) {
        return files.containsKey(path);
    }

    String text(String path) {
        byte[] b = files.get(path);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Starts with a copy of everything {@code other} holds (a cache seeded once, reused fresh). */
    void copyFrom(HttpBinaryCacheDouble other) {
        files.putAll(other.files);
    }

    void clearRequests() {
        requests.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        requests.add(method + " " + path);
        try (ex; InputStream body = ex.getRequestBody()) {
            byte[] in = body.readAllBytes();
            switch (method) {
                case "PUT" -> {
                    files.put(path, in);
                    ex.sendResponseHeaders(200, -1);
                }
                case "GET", "HEAD" -> {
                    byte[] content = files.get(path);
                    if (content == null) {
                        ex.sendResponseHeaders(404, -1);
                    } else if (method.equals("HEAD")) {
                        ex.getResponseHeaders().set("Content-Length", Integer.toString(content.length));
                        ex.sendResponseHeaders(200, -1);
                    } else {
                        ex.sendResponseHeaders(200, content.length);
                        ex.getResponseBody().write(content);
                    }
                }
                default -> ex.sendResponseHeaders(405, -1);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
