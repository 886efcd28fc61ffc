package org.gitopssync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.gitopssync.config.Credential;
import org.gitopssync.config.WebSettings;
import org.gitopssync.forge.ForgeKind;
import org.gitopssync.forge.RepositoryCoordinates;
import org.gitopssync.forge.WebhookEvent;
import org.gitopssync.forge.WebhookReceiver;
import org.gitopssync.state.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slow and surplus clients on a real socket: the listener closes them instead of holding them forever. */
class SlowClientTest {

    /** How long a test waits for the server to close before calling the connection held open. */
    private static final int CLOSE_DEADLINE_MILLIS = 15_000;

    @TempDir
    Path tmp;

    Vertx vertx;
    StateStore store;
    WebServer server;
    final List<Socket> sockets = new ArrayList<>();
    final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        store = StateStore.open(tmp.resolve("state"));
    }

    @AfterEach
    void tearDown() throws IOException {
        trickle.shutdownNow();
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        vertx.close();
        store.close();
    }

    private void start(Duration idle, Duration request, int maxConnections) {
        WebhookReceiver github = new WebhookReceiver(ForgeKind.GITHUB, new RepositoryCoordinates("acme/fleet"), Credential.of("secret", "test"),
                new WebhookReceiver.Settings(1 << 20, 100, false));
        WebhookListener ignore = new WebhookListener() {
            @Override
            public void onPush(ForgeKind forge, WebhookEvent.PushEvent event) {
            }

            @Override
            public void onPullRequest(ForgeKind forge, WebhookEvent.PullRequestEvent event) {
            }
        };
        server = WebServer.start(vertx, new WebSettings(true, "127.0.0.1", 0, null, idle, request, maxConnections),
                new WebServer.Routes(() -> null, new RunPages(store), Map.of(ForgeKind.GITHUB, github), ignore));
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(CLOSE_DEADLINE_MILLIS);
        sockets.add(s);
        return s;
    }

    /** Sends one byte of {@code text} every 100 ms until it is all sent or the socket fails. */
    private void trickle(Socket socket, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        int[] next = {0};
        trickle.scheduleAtFixedRate(() -> {
            try {
                if (next[0] < bytes.length) {
                    OutputStream out = socket.getOutputStream();
                    out.write(bytes[next[0]++]);
                    out.flush();
                }
            } catch (IOException e) {
                throw new IllegalStateException("closed", e);
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** Reads until the server closes the connection; fails if it is still open after the deadline. */
    private static String readUntilClosed(Socket socket) throws IOException {
        StringBuilder got = new StringBuilder();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open for " + CLOSE_DEADLINE_MILLIS + " ms", e);
        } catch (SocketException e) {
            // a reset is the server closing too
        }
        return got.toString();
    }

    private static String longHeaders() {
        return "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(10_000) + "\r\n\r\n";
    }

    @Test
    void aClientTricklingHeadersIsClosedAtTheRequestTimeout() throws IOException {
        start(Duration.ofSeconds(30), Duration.ofSeconds(1), 64);
        Socket slow = connect();

        trickle(slow, longHeaders());

        assertThat(readUntilClosed(slow)).as("no answer to headers that never ended").doesNotContain("ok");
    }

    @Test
    void aClientTricklingABodyIsClosedAtTheRequestTimeout() throws IOException {
        start(Duration.ofSeconds(30), Duration.ofSeconds(1), 64);
        Socket slow = connect();
        String headers = "POST /webhooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "X-GitHub-Event: push\r\nContent-Length: 10000\r\n\r\n";
        slow.getOutputStream().write(headers.getBytes(StandardCharsets.US_ASCII));

        trickle(slow, "{" + " ".repeat(9_998) + "}");

        assertThat(readUntilClosed(slow)).as("no answer to a body that never ended").doesNotContain("202");
    }

    @Test
    void aSilentConnectionIsClosedAtTheIdleTimeout() throws IOException {
        start(Duration.ofMillis(500), Duration.ofSeconds(60), 64);
        Socket silent = connect();

        assertThat(readUntilClosed(silent)).isEmpty();
    }

    @Test
    void connectionsPastTheCapAreClosedAndServedAgainOnceOthersGo() throws IOException {
        start(Duration.ofSeconds(60), Duration.ofSeconds(60), 2);
        Socket first = connect();
        Socket second = connect();
        assertThat(get(first)).startsWith("HTTP/1.1 200");
        assertThat(get(second)).startsWith("HTTP/1.1 200");

        Socket third = connect();
        assertThat(readUntilClosed(third)).isEmpty();

        first.close();
        // the server notices the close asynchronously: retry until a connection is served again
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_DEADLINE_MILLIS);
        String answer = "";
        while (!answer.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline) {
            Socket again = connect();
            try {
                answer = get(again);
            } catch (IOException e) {
                answer = "";
            }
        }
        assertThat(answer).startsWith("HTTP/1.1 200");
    }

    /** One complete keep-alive GET of /healthz; returns the status line and headers read so far. */
    private static String get(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        byte[] buf = new byte[4096];
        int n = socket.getInputStream().read(buf);
        return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }
}
