package org.gitopssync.web;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A Server-Sent Events client over real HTTP for tests: events and comment lines as they arrive. */
final class SseReader implements AutoCloseable {

    /** One event as the client parsed it. */
    record Event(long id, String type, String data) {
    }

    final HttpResponse<InputStream> response;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final Thread thread;

    SseReader(int port, Long lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"));
        if (lastEventId != null) {
            req.header("Last-Event-ID", Long.toString(lastEventId));
        }
        response = HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        thread = new Thread(this::read, "sse-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            long id = -1;
            String type = null;
            String data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(":")) {
                    received.add(line);
                } else if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else if (line.isEmpty() && type != null) {
                    received.add(new Event(id, type, data));
                    type = null;
                    data = null;
                }
            }
        } catch (IOException e) {
            // closed by the test
        }
    }

    /** Events until one matches {@code last} (inclusive); fails after {@code within}. */
    List<Event> eventsUntil(Predicate<Event> last, Duration within) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            Object o = received.poll(100, TimeUnit.MILLISECONDS);
            if (o instanceof Event e) {
                out.add(e);
                if (last.test(e)) {
                    return out;
                }
            }
        }
        throw new AssertionError("no matching event within " + within + "; got " + out);
    }

    /** Waits for a comment line such as {@code : keep-alive}. */
    boolean awaitComment(String comment, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (comment.equals(received.poll(100, TimeUnit.MILLISECONDS))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
