package org.gitopssync.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.config.WebSettings;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleRequest;
import org.gitopssync.reconcile.Trigger;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page stays open in Debian's real headless chromium (driven over the DevTools protocol) while a real
 * agent deploys a new commit: the page's script, fed by {@code /api/events}, shows the commit without a reload.
 * Skipped, saying why, where chromium cannot be found.
 */
class StatusPageLiveTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String MOTD = "Lighthouse log shipped while the page watched";
    private static final String SUBJECT = "motd: " + MOTD;

    @TempDir
    Path tmp;

    Vertx vertx;
    WebServer server;
    Agent agent;
    Process chromium;
    DevTools devtools;

    @AfterEach
    void stop() {
        if (devtools != null) {
            devtools.close();
        }
        if (chromium != null) {
            // chromium's zygote and renderers are its children: end them with it, and wait so none outlives the test
            List<ProcessHandle> children = chromium.descendants().toList();
            chromium.destroy();
            children.forEach(ProcessHandle::destroy);
            try {
                if (!chromium.waitFor(30, TimeUnit.SECONDS)) {
                    chromium.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                chromium.destroyForcibly();
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        if (server != null) {
            server.close();
        }
        if (vertx != null) {
            vertx.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aCommitDeployedWhileThePageIsOpenAppearsWithoutAReload() throws Exception {
        Path browser = StatusPageBrowserTest.findChromium().orElse(null);
        assumeTrue(browser != null, "chromium not found on PATH (Debian: apt-get install -y chromium; bin/setup.sh"
                + " installs it): the live status page browser test is skipped");
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        agent = new AgentFixture(tmp, repo).open(new RecordingCommandRunner());
        String first = repo.head();
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.DEPLOYED);
        vertx = Vertx.vertx();
        server = WebServer.start(vertx, new WebSettings(true, "127.0.0.1", 0, null), new WebServer.Routes(
                () -> null, new RunPages(agent.store(), agent.settings()), Map.of(), null, null,
                agent.events().journal()));

        devtools = openPage(browser, "http://127.0.0.1:" + server.port() + "/");
        devtools.evaluate("window.__openedOnce = 'still the first load'");
        assertThat(devtools.evaluate("document.body.innerText").asText()).contains(first.substring(0, 12))
                .doesNotContain(SUBJECT);
        assertThat(await(() -> agent.events().journal().subscribers() == 1))
                .as("the page's script follows /api/events").isTrue();

        String shipped = repo.commitMotd(MOTD);
        CycleReport second = cycle();
        assertThat(second.outcome()).as(second.summary()).isEqualTo(CycleOutcome.DEPLOYED);

        String text = devtools.awaitText(SUBJECT, WAIT);
        assertThat(text).as("the open page shows the new commit").contains(SUBJECT, shipped.substring(0, 12));
        assertThat(devtools.evaluate("window.__openedOnce").asText())
                .as("the page was updated in place, not reloaded").isEqualTo("still the first load");
        assertThat(devtools.evaluate("performance.getEntriesByType('navigation').length").asInt()).isEqualTo(1);
        assertThat(devtools.evaluate("performance.getEntriesByType('navigation')[0].type").asText())
                .isEqualTo("navigate");
    }

    private CycleReport cycle() {
        return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
    }

    /** Starts chromium headless with a DevTools port on its own profile, loads {@code url} and waits for its load event. */
    private DevTools openPage(Path browser, String url) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        chromium = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "about:blank")
                .redirectOutput(tmp.resolve("chromium.out").toFile()).redirectError(tmp.resolve("chromium.err").toFile())
                .start();
        // chromium writes the port it chose (first line) once DevTools listens
        Path activePort = profile.resolve("DevToolsActivePort");
        assertThat(await(() -> !chromium.isAlive() || readable(activePort)))
                .as("chromium opened its DevTools port").isTrue();
        assertThat(chromium.isAlive()).as(() -> stderr()).isTrue();
        int port = Integer.parseInt(Files.readAllLines(activePort).get(0).trim());

        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
        String socket = null;
        for (JsonNode t : targets) {
            if (t.path("type").asText().equals("page")) {
                socket = t.path("webSocketDebuggerUrl").asText();
            }
        }
        assertThat(socket).as("a page target in %s", targets).isNotNull();
        DevTools page = new DevTools(http, URI.create(socket));
        page.call("Page.enable", JSON.createObjectNode());
        CompletableFuture<JsonNode> loaded = page.nextEvent("Page.loadEventFired");
        page.call("Page.navigate", JSON.createObjectNode().put("url", url));
        loaded.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return page;
    }

    private static boolean readable(Path file) {
        try {
            return Files.isRegularFile(file) && !Files.readAllLines(file).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private String stderr() {
        try {
            return Files.readString(tmp.resolve("chromium.err"));
        } catch (Exception e) {
            return "";
        }
    }

    private static boolean await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return condition.getAsBoolean();
    }

    /** One page's DevTools session over the JDK's WebSocket: commands by id, their replies and awaited events. */
    static final class DevTools implements WebSocket.Listener {

        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<JsonNode>> events = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket socket;

        DevTools(HttpClient http, URI uri) throws Exception {
            this.socket = http.newWebSocketBuilder().buildAsync(uri, this).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        CompletableFuture<JsonNode> nextEvent(String method) {
            return events.computeIfAbsent(method, m -> new CompletableFuture<>());
        }

        JsonNode call(String method, ObjectNode params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            replies.put(id, reply);
            ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
            message.set("params", params);
            socket.sendText(JSON.writeValueAsString(message), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            JsonNode answer = reply.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer.has("error")).as("%s answered %s", method, answer).isFalse();
            return answer.path("result");
        }

        /** The value of a JavaScript expression in the page (a promise is awaited). */
        JsonNode evaluate(String expression) throws Exception {
            JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                    .put("returnByValue", true).put("awaitPromise", true));
            assertThat(result.has("exceptionDetails")).as("%s threw %s", expression, result).isFalse();
            return result.path("result").path("value");
        }

        /**
         * Waits, inside the page, for its text to contain {@code wanted}: a MutationObserver resolves a promise, so
         * nothing polls. Returns the text then; fails with the text shown at the deadline.
         */
        String awaitText(String wanted, Duration wait) throws Exception {
            String script = "new Promise(done => { const want = " + JSON.writeValueAsString(wanted) + ";"
                    + " const check = () => { if (document.body.innerText.includes(want)) { done(true); } };"
                    + " new MutationObserver(check).observe(document.body,"
                    + " {subtree: true, childList: true, characterData: true}); check(); })";
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            replies.put(id, reply);
            ObjectNode message = JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate");
            message.set("params", JSON.createObjectNode().put("expression", script).put("awaitPromise", true)
                    .put("returnByValue", true));
            socket.sendText(JSON.writeValueAsString(message), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            try {
                reply.get(wait.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the open page never showed \"" + wanted + "\" within " + wait.toSeconds()
                        + " s; it shows:\n" + evaluate("document.body.innerText").asText());
            }
            return evaluate("document.body.innerText").asText();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> reply = replies.remove(message.get("id").asInt());
                        if (reply != null) {
                            reply.complete(message);
                        }
                    } else if (message.has("method")) {
                        events.computeIfAbsent(message.get("method").asText(), m -> new CompletableFuture<>())
                                .complete(message);
                    }
                } catch (Exception e) {
                    replies.values().forEach(r -> r.completeExceptionally(e));
                }
            }
            webSocket.request(1);
            return null;
        }

        void close() {
            socket.abort();
        }
    }
}
