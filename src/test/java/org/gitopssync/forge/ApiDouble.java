package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Shared plumbing of the forge API doubles: a loopback HTTP server that records requests and can be told to fail. */
abstract class ApiDouble implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the double received it. */
    record Recorded(String method, String rawPath, Map<String, String> query, Map<String, String> headers,
                    byte[] body) {
        String header(String name) {
            return headers.get(name);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("request body is not JSON", e);
            }
        }
    }

    /** An answer: status, headers, body. */
    record Reply(int status, Map<String, String> headers, String body) {
        static Reply json(int status, Object body) {
            try {
                return new Reply(status, Map.of("Content-Type", "application/json"), JSON.writeValueAsString(body));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        static Reply status(int status, Map<String, String> headers, String body) {
            return new Reply(status, headers, body);
        }

        Reply withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, h, body);
        }
    }

    private final HttpServer server;
    private final List<Recorded> requests = new ArrayList<>();
    private final Deque<Reply> scripted = new ArrayDeque<>();

    ApiDouble() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        server.createContext("/", this::exchange);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next requests get these replies, in order, whatever they ask. */
    synchronized void failNext(Reply... replies) {
        scripted.addAll(List.of(replies));
    }

    synchronized List<Recorded> requests() {
        return List.copyOf(requests);
    }

    synchronized List<Recorded> requests(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.rawPath().startsWith(pathPrefix)).toList();
    }

    /** Stops answering: connections are refused, as in an outage. */
    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    protected abstract Reply route(Recorded request);

    private void exchange(HttpExchange exchange) throws IOException {
        Reply reply;
        try {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
            URI uri = exchange.getRequestURI();
            Recorded request = new Recorded(exchange.getRequestMethod(), uri.getRawPath(), query(uri.getRawQuery()),
                    headers, exchange.getRequestBody().readAllBytes());
            Reply next;
            synchronized (this) {
                requests.add(request);
                next = scripted.poll();
            }
            reply = next != null ? next : route(request);
        } catch (RuntimeException | AssertionError e) {
            reply = Reply.json(500, Map.of("message", "double failed: " + e));
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    // ---- checks shared by the doubles; a failed check answers like the real API would.

    /** The JSON object body, or null when it has a field outside {@code allowed}. */
    static JsonNode objectWithOnly(Recorded request, Set<String> allowed) {
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return null;
        }
        if (body == null || !body.isObject()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return allowed.containsAll(names) ? body : null;
    }

    static boolean isJsonRequest(Recorded request) {
        String type = request.header("Content-Type");
        return type != null && type.startsWith("application/json");
    }

    static int codePoints(String text) {
        return text.codePointCount(0, text.length());
    }

    /** The request with {@code sizeParam} lowered to {@code max}, as forges silently cap page sizes. */
    static Recorded capped(Recorded request, String sizeParam, int max) {
        String size = request.query().get(sizeParam);
        if (size == null || Integer.parseInt(size) <= max) {
            return request;
        }
        Map<String, String> query = new LinkedHashMap<>(request.query());
        query.put(sizeParam, Integer.toString(max));
        return new Recorded(request.method(), request.rawPath(), query, request.headers(), request.body());
    }

    /** One page of {@code items} and an RFC 8288 Link header to the next page, absolute like the real forges. */
    Reply page(Recorded request, List<? extends JsonNode> items, String sizeParam, int defaultSize) {
        int size = Integer.parseInt(request.query().getOrDefault(sizeParam, Integer.toString(defaultSize)));
        int page = Integer.parseInt(request.query().getOrDefault("page", "1"));
        int from = Math.min((page - 1) * size, items.size());
        int to = Math.min(from + size, items.size());
        ArrayNode array = JSON.createArrayNode();
        items.subList(from, to).forEach(array::add);
        Reply reply = Reply.json(200, array);
        if (to < items.size()) {
            Map<String, String> query = new LinkedHashMap<>(request.query());
            query.put("page", Integer.toString(page + 1));
            StringBuilder next = new StringBuilder(baseUrl().toString()).append(request.rawPath()).append('?');
            query.forEach((k, v) -> next.append(k).append('=').append(v).append('&'));
            next.setLength(next.length() - 1);
            reply = reply.withHeader("Link", "<" + next + ">; rel=\"next\", <" + baseUrl() + request.rawPath()
                    + "?page=" + ((items.size() + size - 1) / size) + ">; rel=\"last\"");
        }
        return reply;
    }
}
