package org.gitopssync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.gitopssync.config.WebSettings;

/** A client of the daemon's {@code /api/events}: the events its ring still holds, then the live ones. */
final class DaemonEvents implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event: its type and its JSON data. */
    record Event(String type, JsonNode data) {
    }

    private final URI url;
    private final BufferedReader in;

    private DaemonEvents(URI url, InputStream body) {
        this.url = url;
        this.in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** Connects when a daemon answers on the configured listener; empty when none does. */
    static Optional<DaemonEvents> connect(WebSettings web) {
        if (!web.enable()) {
            return Optional.empty();
        }
        URI url = URI.create("http://" + loopbackFor(web.address()) + ":" + web.port() + "/api/events");
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            // Last-Event-ID 0: the whole ring, so a cycle that ended while we connected is still seen
            HttpRequest request = HttpRequest.newBuilder(url).header("Last-Event-ID", "0")
                    .header("Accept", "text/event-stream").build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200 || !response.headers().firstValue("content-type").orElse("")
                    .startsWith("text/event-stream")) {
                response.body().close();
                return Optional.empty();
            }
            return Optional.of(new DaemonEvents(url, response.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** A listener on every address is reached on loopback. */
    private static String loopbackFor(String address) {
        if (address == null || address.isBlank() || address.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        if (address.equals("::") || address.equals("[::]")) {
            return "[::1]";
        }
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    URI url() {
        return url;
    }

    /** The next event; empty once the daemon closed the stream. */
    Optional<Event> next() {
        String type = null;
        String data = null;
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("event:")) {
                    type = line.substring("event:".length()).strip();
                } else if (line.startsWith("data:")) {
                    data = line.substring("data:".length()).strip();
                } else if (line.isEmpty() && type != null && data != null) {
                    return Optional.of(new Event(type, JSON.readTree(data)));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // the watch is over either way; the connection goes with the process
        }
    }
}
