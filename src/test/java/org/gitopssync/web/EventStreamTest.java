package org.gitopssync.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.config.WebSettings;
import org.gitopssync.events.EventJournal;
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

/** {@code GET /api/events} over real HTTP on 127.0.0.1: a real cycle's events, replay, keep-alives, released clients. */
class EventStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    final Vertx vertx = Vertx.vertx();
    WebServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        vertx.close();
    }

    private int serve(EventJournal journal, Duration keepAlive) {
        server = WebServer.start(vertx, new WebSettings(true, "127.0.0.1", 0, null), new WebServer.Routes(
                () -> null, null, Map.of(), null, null, journal), keepAlive);
        return server.port();
    }

    @Test
    void aDeployedCycleStreamsItsStartStagesAttributesAndOutcomeWithTheFullCommit() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        try (Agent agent = new AgentFixture(tmp, repo).open(new RecordingCommandRunner())) {
            int port = serve(agent.events().journal(), Duration.ofSeconds(15));
            try (SseReader client = new SseReader(port, null)) {
                assertThat(client.response.headers().firstValue("content-type")).get().asString()
                        .startsWith("text/event-stream");
                assertThat(client.response.headers().firstValue("cache-control")).get().asString().contains("no-cache");

                CycleReport report = agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
                assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);

                List<SseReader.Event> events = client.eventsUntil(e -> e.type().equals("cycle-finished"), WAIT);
                assertThat(events).extracting(SseReader.Event::type).startsWith("cycle-started", "stage-entered")
                        .contains("attribute-built").endsWith("cycle-finished");
                assertThat(events).extracting(e -> data(e).get("cycle").asLong()).containsOnly(report.cycleId());
                assertThat(events).extracting(SseReader.Event::id).isSorted().doesNotHaveDuplicates();
                assertThat(events.stream().filter(e -> e.type().equals("stage-entered")).map(e -> data(e).get("stage")
                        .asText())).containsExactly("source", "secrets", "build", "cache", "deploy");

                JsonNode started = data(events.get(0));
                assertThat(started.get("trigger").asText()).isEqualTo("manual");
                assertThat(started.get("commit").isNull()).as("not known before the source stage").isTrue();
                assertThat(started.get("at").asLong()).isPositive();
                JsonNode deploy = events.stream().filter(e -> e.data().contains("\"stage\":\"deploy\"")).map(this::data)
                        .findFirst().orElseThrow();
                assertThat(deploy.get("commit").asText()).isEqualTo(repo.head()).hasSize(40);
                JsonNode system = events.stream().filter(e -> e.type().equals("attribute-built")).map(this::data)
                        .filter(d -> d.get("attribute").asText().contains("nixosConfigurations")).findFirst().orElseThrow();
                assertThat(system.get("status").asText()).isIn("built", "cached");

                JsonNode finished = data(events.get(events.size() - 1));
                assertThat(finished.get("outcome").asText()).isEqualTo("deployed");
                assertThat(finished.get("commit").asText()).isEqualTo(repo.head());
                assertThat(finished.get("stage").isNull()).as("only a failed cycle names a stage").isTrue();
                assertThat(finished.get("durationMs").asLong()).isNotNegative();
                assertThat(finished.fieldNames()).toIterable()
                        .containsExactly("cycle", "commit", "outcome", "stage", "durationMs", "at");
            }
        }
    }

    @Test
    void aClientReconnectingWithLastEventIdGetsWhatItMissedOnceAndThenLiveEvents() throws Exception {
        EventJournal journal = new EventJournal();
        int port = serve(journal, Duration.ofSeconds(15));
        for (int i = 1; i <= 5; i++) {
            journal.publish("stage-entered", "{\"cycle\":" + i + "}");
        }
        try (SseReader client = new SseReader(port, 3L)) {
            journal.publish("cycle-finished", "{\"cycle\":6}");
            List<SseReader.Event> events = client.eventsUntil(e -> e.type().equals("cycle-finished"), WAIT);
            assertThat(events).extracting(SseReader.Event::id).containsExactly(4L, 5L, 6L);
            assertThat(events.get(0).data()).isEqualTo("{\"cycle\":4}");
        }
        try (SseReader fresh = new SseReader(port, null)) {
            journal.publish("cycle-finished", "{\"cycle\":7}");
            assertThat(fresh.eventsUntil(e -> e.type().equals("cycle-finished"), WAIT))
                    .as("without Last-Event-ID only live events").extracting(SseReader.Event::id).containsExactly(7L);
        }
    }

    @Test
    void theReplayRingKeepsTheLast256Events() {
        EventJournal journal = new EventJournal();
        for (int i = 0; i < 300; i++) {
            journal.publish("stage-entered", "{}");
        }
        assertThat(journal.recent()).hasSize(256);
        assertThat(journal.recent().get(0).id()).isEqualTo(45);
    }

    @Test
    void keepAliveCommentsFlowBetweenEvents() throws Exception {
        int port = serve(new EventJournal(), Duration.ofMillis(200));
        try (SseReader client = new SseReader(port, null)) {
            assertThat(client.awaitComment(": keep-alive", WAIT)).isTrue();
        }
    }

    @Test
    void manyClientsHearTheSameEventAndAClosedOneIsReleased() throws Exception {
        EventJournal journal = new EventJournal();
        int port = serve(journal, Duration.ofSeconds(15));
        try (SseReader a = new SseReader(port, null); SseReader b = new SseReader(port, null);
                Socket c = rawClient(port)) {
            assertThat(awaitTrue(() -> journal.subscribers() == 3)).isTrue();
            journal.publish("cycle-started", "{\"cycle\":1}");
            assertThat(a.eventsUntil(e -> true, WAIT)).extracting(SseReader.Event::id).containsExactly(1L);
            assertThat(b.eventsUntil(e -> true, WAIT)).extracting(SseReader.Event::id).containsExactly(1L);

            c.close();
            assertThat(awaitTrue(() -> journal.subscribers() == 2)).as("the closed client's subscription ends").isTrue();
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedAndNeverHoldsUpThePublisher() throws Exception {
        EventJournal journal = new EventJournal();
        int port = serve(journal, Duration.ofSeconds(15));
        try (Socket stalled = rawClient(port)) {
            assertThat(awaitTrue(() -> journal.subscribers() == 1)).isTrue();
            String padding = "x".repeat(1000);
            // far more than socket buffers, Vert.x's write queue and the subscription's queue hold; publishing
            // returns at once every time, or this loop would hang
            for (int i = 0; i < 50_000 && journal.subscribers() == 1; i++) {
                journal.publish("stage-entered", "{\"pad\":\"" + padding + "\"}");
            }
            assertThat(awaitTrue(() -> journal.subscribers() == 0)).as("the stalled client was dropped").isTrue();
        }
        try (SseReader reader = new SseReader(port, null)) {
            journal.publish("cycle-finished", "{}");
            assertThat(reader.eventsUntil(e -> e.type().equals("cycle-finished"), WAIT)).isNotEmpty();
        }
    }

    /** Connects and reads only the response head: then it never reads again. */
    private static Socket rawClient(int port) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        OutputStream out = s.getOutputStream();
        out.write("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().contains(": connected")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("stream ended: " + head);
            }
            head.append((char) b);
        }
        return s;
    }

    private static boolean awaitTrue(BooleanSupplier condition) throws InterruptedException {
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

    private JsonNode data(SseReader.Event e) {
        try {
            return JSON.readTree(e.data());
        } catch (Exception ex) {
            throw new AssertionError(e.data(), ex);
        }
    }
}
