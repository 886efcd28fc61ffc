package org.gitopssync.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.gitopssync.config.ConfigException;
import org.gitopssync.config.Credential;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.config.ForgeSettings;
import org.gitopssync.config.SecuritySettings;
import org.gitopssync.config.WebSettings;
import org.gitopssync.forge.ForgeKind;
import org.gitopssync.forge.RepositoryCoordinates;
import org.gitopssync.forge.WebhookEvent;
import org.gitopssync.forge.WebhookReceiver;
import org.gitopssync.metrics.AgentMetrics;
import org.gitopssync.report.Forges;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's HTTP endpoint on 127.0.0.1 with real HTTP: webhooks, health, run pages. */
class WebServerTest {

    private static final String SECRET = "webhook-secret-for-tests";

    @TempDir
    Path tmp;

    Vertx vertx;
    WebServer server;
    StateStore store;
    final BlockingQueue<WebhookEvent> events = new LinkedBlockingQueue<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        store = StateStore.open(tmp.resolve("state"));
        WebhookReceiver github = new WebhookReceiver(ForgeKind.GITHUB, new RepositoryCoordinates("acme/fleet"), Credential.of(SECRET, "test"),
                new WebhookReceiver.Settings(4096, 100, false));
        WebhookListener listener = new WebhookListener() {
            @Override
            public void onPush(ForgeKind forge, WebhookEvent.PushEvent event) {
                events.add(event);
            }

            @Override
            public void onPullRequest(ForgeKind forge, WebhookEvent.PullRequestEvent event) {
                events.add(event);
            }
        };
        AgentMetrics metrics = new AgentMetrics(store, "test");
        server = WebServer.start(vertx, new WebSettings(true, "127.0.0.1", 0, null), new WebServer.Routes(
                () -> null, new RunPages(store), Map.of(ForgeKind.GITHUB, github), listener, metrics::scrape,
                metrics::webhookDelivery));
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close();
        store.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static String sign(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static byte[] pushPayload() {
        return """
                {"ref":"refs/heads/main","before":"1111111111111111111111111111111111111111",
                 "after":"2222222222222222222222222222222222222222",
                 "repository":{"full_name":"acme/fleet","clone_url":"https://github.com/acme/fleet.git",
                   "ssh_url":"git@github.com:acme/fleet.git"}}""".getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> post(byte[] body, String signature, String delivery) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/webhooks/github"))
                .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", delivery)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header("X-Hub-Signature-256", signature);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSignedPushIsAcceptedAndHandedToTheDaemon() throws Exception {
        byte[] body = pushPayload();

        HttpResponse<String> r = post(body, sign(body), "d-1");

        assertThat(r.statusCode()).isEqualTo(202);
        WebhookEvent e = events.poll(30, TimeUnit.SECONDS);
        assertThat(e).isInstanceOfSatisfying(WebhookEvent.PushEvent.class, p -> {
            assertThat(p.branch()).isEqualTo("main");
            assertThat(p.afterSha()).startsWith("2222");
        });
    }

    @Test
    void aWrongOrMissingSignatureIsRefusedAndNothingHappens() throws Exception {
        byte[] body = pushPayload();

        assertThat(post(body, sign("other".getBytes(StandardCharsets.UTF_8)), "d-2").statusCode()).isEqualTo(401);
        assertThat(post(body, null, "d-3").statusCode()).isEqualTo(401);
        assertThat(post(body, "sha1=abc", "d-4").statusCode()).isEqualTo(401);
        assertThat(events).isEmpty();
    }

    @Test
    void aReplayedDeliveryIsAnsweredButActedOnOnce() throws Exception {
        byte[] body = pushPayload();
        assertThat(post(body, sign(body), "d-5").statusCode()).isEqualTo(202);
        assertThat(events.poll(30, TimeUnit.SECONDS)).isNotNull();

        HttpResponse<String> replay = post(body, sign(body), "d-5");

        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("duplicate");
        // a marker delivery proves the worker has drained: the replay produced no event before it
        assertThat(post(body, sign(body), "d-6").statusCode()).isEqualTo(202);
        assertThat(events.poll(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(events).isEmpty();
    }

    @Test
    void everyDeliveryIsCountedByHowItEnded() throws Exception {
        byte[] body = pushPayload();
        assertThat(post(body, sign(body), "d-10").statusCode()).isEqualTo(202);
        assertThat(post(body, sign(body), "d-10").statusCode()).as("a redelivery").isEqualTo(200);
        byte[] ping = "{\"zen\":\"hi\",\"repository\":{\"full_name\":\"acme/fleet\"}}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> pinged = http.send(HttpRequest.newBuilder(uri("/webhooks/github"))
                .header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", "d-11")
                .header("X-Hub-Signature-256", sign(ping)).POST(HttpRequest.BodyPublishers.ofByteArray(ping)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(pinged.statusCode()).as(pinged.body()).isEqualTo(200);
        assertThat(post(body, sign("other".getBytes(StandardCharsets.UTF_8)), "d-12").statusCode()).isEqualTo(401);
        byte[] big = new byte[8192];
        assertThat(post(big, sign(big), "d-13").statusCode()).isEqualTo(413);
        assertThat(http.send(HttpRequest.newBuilder(uri("/webhooks/gitlab")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("not a configured forge").isEqualTo(404);

        PrometheusText m = PrometheusText.parse(http.send(HttpRequest.newBuilder(uri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body());

        assertThat(m.family("gitops_sync_webhook_deliveries_total")).containsOnly(
                Map.entry("gitops_sync_webhook_deliveries_total{forge=\"github\",result=\"accepted\"}", 1.0),
                Map.entry("gitops_sync_webhook_deliveries_total{forge=\"github\",result=\"ignored\"}", 2.0),
                Map.entry("gitops_sync_webhook_deliveries_total{forge=\"github\",result=\"rejected\"}", 2.0));
    }

    @Test
    void anOversizeBodyIsRefusedBeforeItIsRead() throws Exception {
        byte[] big = new byte[8192];
        java.util.Arrays.fill(big, (byte) ' ');

        assertThat(post(big, sign(big), "d-7").statusCode()).isEqualTo(413);
        HttpRequest chunked = HttpRequest.newBuilder(uri("/webhooks/github")).header("X-GitHub-Event", "push")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build();
        assertThat(http.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
        assertThat(events).isEmpty();
    }

    @Test
    void unknownForgesHealthAndRunPages() throws Exception {
        long id = store.startCycle("manual", "main", Instant.now());
        Path log = Files.writeString(tmp.resolve("cycle.log"), "$ nix build\n<built>\n");
        store.setCycleLog(id, log);
        store.finishCycle(id, CycleOutcome.FAILED, "build", "nix build failed", Instant.now());

        assertThat(http.send(HttpRequest.newBuilder(uri("/webhooks/gitlab")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(uri("/healthz")).build(), HttpResponse.BodyHandlers.ofString())
                .body()).isEqualTo("ok\n");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/runs/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Cycle " + id, "failed", "nix build failed", "&lt;built&gt;");
        assertThat(http.send(HttpRequest.newBuilder(uri("/runs/../etc")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
    }

    @Test
    void theListenerRefusesToStartWithoutASecretUnlessInsecureIsAllowed() {
        ForgeSettings github = new ForgeSettings(ForgeSettings.ForgeType.GITHUB, URI.create("https://api.github.com"),
                "acme/fleet", new CredentialSource.Env(List.of("GH_TOKEN")), null, null, CredentialSource.none(),
                CredentialSource.none(), 40);
        CredentialResolver credentials = new CredentialResolver(Map.of("GH_TOKEN", "t"), null);
        try (Forges forges = Forges.open(List.of(github), credentials)) {
            assertThatThrownBy(() -> forges.webhookReceivers(new SecuritySettings(false, 4096, false, List.of(), "approved")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("forges[0].webhook_secret: the webhook listener refuses to start without a secret");
            assertThat(forges.webhookReceivers(new SecuritySettings(true, 4096, false, List.of(), "approved")))
                    .containsKey(ForgeKind.GITHUB);
        }
    }

    @Test
    void onlyEventsForTheFollowedRepositoryConcernTheAgent() {
        ForgeSettings github = new ForgeSettings(ForgeSettings.ForgeType.GITHUB, URI.create("https://api.github.com"),
                "acme/fleet", new CredentialSource.Env(List.of("GH_TOKEN")), null, null, CredentialSource.none(),
                CredentialSource.none(), 40);
        ForgeSettings gitlabById = new ForgeSettings(ForgeSettings.ForgeType.GITLAB, URI.create("https://gitlab.example"),
                "4711", new CredentialSource.Env(List.of("GL_TOKEN")), null, null, CredentialSource.none(),
                CredentialSource.none(), 40);
        try (Forges forges = Forges.open(List.of(github, gitlabById), new CredentialResolver(Map.of(), null))) {
            assertThat(forges.follows(ForgeKind.GITHUB, "acme/fleet")).isTrue();
            assertThat(forges.follows(ForgeKind.GITHUB, "ACME/Fleet")).isTrue();
            assertThat(forges.follows(ForgeKind.GITHUB, "acme/other-repo")).isFalse();
            assertThat(forges.follows(ForgeKind.GITEA, "acme/fleet")).isFalse();
            assertThat(forges.follows(ForgeKind.GITLAB, "infra/fleet")).as("a numeric project id cannot be compared").isTrue();
        }
    }
}
