package org.gitopssync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.gitopssync.config.WebSettings;
import org.gitopssync.state.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code GET /api/openapi.yaml} describes exactly the API routes the server has. The HTML pages ({@code /},
 * {@code /runs/...}) and their stylesheet and script are left out on purpose: they are for people, not clients.
 */
class OpenApiDocumentTest {

    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void itsPathsAndMethodsAreTheRoutesTheServerAnswers() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (StateStore store = StateStore.open(tmp);
                WebServer server = WebServer.start(vertx, new WebSettings(true, "127.0.0.1", 0, null),
                        new WebServer.Routes(() -> null, new RunPages(store), Map.of(), null))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/openapi.yaml")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("application/yaml"));

            Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build())
                    .loadFromString(r.body());
            assertThat(String.valueOf(doc.get("openapi"))).startsWith("3.");
            Set<String> described = new TreeSet<>();
            ((Map<String, Map<String, Object>>) doc.get("paths")).forEach((path, operations) ->
                    operations.forEach((method, operation) -> {
                        assertThat((Map<String, Object>) operation).as("%s %s", method, path).containsKey("responses");
                        described.add(method.toUpperCase(Locale.ROOT) + " " + path);
                    }));
            Set<String> served = new TreeSet<>();
            server.routes().stream().filter(route -> route.kind() == WebServer.RouteKind.API)
                    .forEach(route -> served.add(route.method() + " " + route.path()));

            assertThat(described).isEqualTo(served).contains("GET /healthz", "GET /api/status", "GET /api/events",
                    "GET /api/openapi.yaml", "GET /metrics", "POST /webhooks/{forge}");
            assertThat(server.routes()).filteredOn(route -> route.kind() != WebServer.RouteKind.API)
                    .allSatisfy(route -> assertThat(route.path()).matches("/|/runs/.*|/assets/.*"));
        } finally {
            vertx.close();
        }
    }
}
