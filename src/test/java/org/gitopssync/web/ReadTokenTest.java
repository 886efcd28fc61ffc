package org.gitopssync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.gitopssync.config.Credential;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.config.Settings;
import org.gitopssync.config.SettingsLoader;
import org.gitopssync.config.WebSettings;
import org.gitopssync.events.EventJournal;
import org.gitopssync.forge.ForgeKind;
import org.gitopssync.forge.RepositoryCoordinates;
import org.gitopssync.forge.WebhookEvent;
import org.gitopssync.forge.WebhookReceiver;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [web] read_token} over real HTTP: the pages, the API and the metrics need it; health and webhooks do not. */
class ReadTokenTest {

    private static final String TOKEN = "read-token-for-the-status-page";
    private static final String WEBHOOK_SECRET = "webhook-secret-for-tests";

    @TempDir
    Path tmp;

    Vertx vertx;
    StateStore store;
    WebServer server;
    long cycle;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Path config = Files.writeString(tmp.resolve("gitops.toml"), """
                hostname = "web1"
                state_dir = "%s"

                [repository]
                url = "https://github.com/acme/fleet.git"

                [web]
                enable = true
                read_token = { env = "READ_TOKEN" }
                """.formatted(tmp.resolve("state")));
        Settings settings = new SettingsLoader(Map.of()).load(config).settings();
        assertThat(settings.web().readToken()).isEqualTo(new CredentialSource.Env(List.of("READ_TOKEN")));
        Credential token = new CredentialResolver(Map.of("READ_TOKEN", TOKEN), null)
                .value("web.read_token", settings.web().readToken()).orElseThrow();
        store = StateStore.open(settings.stateDir());
        cycle = store.startCycle("manual", "main", Instant.now());
        store.finishCycle(cycle, CycleOutcome.UNCHANGED, "source", null, Instant.now());
        vertx = Vertx.vertx();
        WebhookReceiver github = new WebhookReceiver(ForgeKind.GITHUB, new RepositoryCoordinates("acme/fleet"),
                Credential.of(WEBHOOK_SECRET, "test"), new WebhookReceiver.Settings(4096, 100, false));
        WebhookListener ignore = new WebhookListener() {
            @Override
            public void onPush(ForgeKind forge, WebhookEvent.PushEvent event) {
            }

            @Override
            public void onPullRequest(ForgeKind forge, WebhookEvent.PullRequestEvent event) {
            }
        };
        server = WebServer.start(vertx, new WebSettings(true, "127.0.0.1", 0, null), new WebServer.Routes(
                () -> null, new RunPages(store, settings), Map.of(ForgeKind.GITHUB, github), ignore,
                () -> "gitops_sync_suspended 0\n", token, new EventJournal()));
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close();
        store.close();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status alone: {@code /api/events} is a stream that does not end. */
    private int status(String path, String authorization) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + path)).header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        return r.statusCode();
    }

    @Test
    void pagesApiAndMetricsNeedTheTokenWithoutItOrWithAWrongOne() throws Exception {
        for (String path : List.of("/", "/runs/" + cycle, "/api/status", "/api/events", "/api/openapi.yaml", "/metrics")) {
            HttpResponse<String> none = get(path, null);
            assertThat(none.statusCode()).as("%s without a token", path).isEqualTo(401);
            assertThat(none.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("Bearer"));
            assertThat(none.body()).doesNotContain(TOKEN).doesNotContain("acme");
            assertThat(get(path, "Bearer wrong").statusCode()).as("%s with a wrong token", path).isEqualTo(401);
            assertThat(get(path, "Bearer " + TOKEN + "x").statusCode()).as("%s with a longer token", path).isEqualTo(401);
            assertThat(get(path, "Bearer " + TOKEN.substring(1)).statusCode()).isEqualTo(401);
            assertThat(get(path, "Basic " + TOKEN).statusCode()).as("%s with another scheme", path).isEqualTo(401);
            assertThat(status(path, "Bearer " + TOKEN)).as("%s with the token", path).isEqualTo(200);
        }
        assertThat(get("/", "bearer " + TOKEN).body()).as("the scheme is case-insensitive")
                .contains("web1", "https://github.com/acme/fleet");
    }

    @Test
    void healthWebhooksAndAssetsStayOpen() throws Exception {
        assertThat(get("/healthz", null).body()).isEqualTo("ok\n");
        assertThat(get(StaticAssets.STYLESHEET, null).statusCode()).isEqualTo(200);
        byte[] body = """
                {"ref":"refs/heads/main","before":"1111111111111111111111111111111111111111",
                 "after":"2222222222222222222222222222222222222222","repository":{"full_name":"acme/fleet"}}"""
                .getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        HttpResponse<String> hook = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/webhooks/github")).header("X-GitHub-Event", "push").header("X-GitHub-Delivery", "d-1")
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hook.statusCode()).isEqualTo(202);
    }
}
