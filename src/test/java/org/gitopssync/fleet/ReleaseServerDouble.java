package org.gitopssync.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for a release store behind a web server (nginx with WebDAV PUT, an S3 gateway): a real HTTP server on
 * 127.0.0.1 that answers GET from what was PUT, and takes a PUT only with the expected bearer token.
 */
public final class ReleaseServerDouble implements AutoCloseable {

    private final HttpServer server;
    private final String token;
    private final Map<String, String> files = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private ReleaseServerDouble(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/releases/", this::handle);
        server.start();
    }

    public static ReleaseServerDouble start(String token) {
        try {
            return new ReleaseServerDouble(token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/releases";
    }

    /** What was stored under a path below /releases/. */
    public Map<String, String> files() {
        return Map.copyOf(files);
    }

    /** "METHOD path authorization-header-or-none", in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public void put(String path, String body) {
        files.put(path, body);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath().substring("/releases/".length());
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        requests.add(ex.getRequestMethod() + " " + path + " " + (auth == null ? "none" : auth));
        try (ex) {
            switch (ex.getRequestMethod()) {
                case "GET" -> {
                    String body = files.get(path);
                    if (body == null) {
                        ex.sendResponseHeaders(404, -1);
                    } else {
                        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                        ex.sendResponseHeaders(200, bytes.length);
                        ex.getResponseBody().write(bytes);
                    }
                }
                case "PUT" -> {
                    if (!("Bearer " + token).equals(auth)) {
                        ex.sendResponseHeaders(401, -1);
                        return;
                    }
                    files.put(path, new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    ex.sendResponseHeaders(201, -1);
                }
                default -> ex.sendResponseHeaders(405, -1);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
