package org.gitopssync.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.gitopssync.cache.DestinationGuard;
import org.gitopssync.cache.DestinationRefusedException;
import org.gitopssync.cache.HostResolver;
import org.gitopssync.config.HooksSettings;
import org.gitopssync.config.HostEvent;
import org.gitopssync.config.SettingsLoader;
import org.gitopssync.reconcile.CycleEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** type = "http" hooks against a real HTTP server on 127.0.0.1, through the caches' destination guard. */
class HttpHookTest {

    @TempDir
    Path tmp;

    HttpServer server;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<String> contentTypes = new CopyOnWriteArrayList<>();
    int status = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type") + " " + exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private HooksSettings hooks(String extraKeys) throws IOException {
        Path config = tmp.resolve("gitops.toml");
        Files.writeString(config, """
                hostname = "web1"
                [repository]
                url = "https://example.org/fleet.git"

                [[hooks]]
                type = "http"
                on = ["deployed", "drift"]
                url = "%s"
                %s
                """.formatted(url(), extraKeys));
        return new SettingsLoader(Map.of()).load(config).settings().hooks();
    }

    private HookObserver observer(HooksSettings hooks) {
        return new HookObserver(hooks, "web1", "main", new CommandHook(Map.of()),
                new HttpHook(new DestinationGuard(HostResolver.SYSTEM)));
    }

    @Test
    void postsTheEventAsJsonWhenPrivateHostsAreAllowed() throws IOException {
        HookObserver observer = observer(hooks("allow_private_hosts = true"));

        observer.event(new CycleEvent(HostEvent.DEPLOYED, 4, "0123abcd", 7, "/nix/store/abc-nixos-system-web1", ""));
        observer.event(new CycleEvent(HostEvent.FAILED, 5, "4567", null, null, "build failed"));

        assertThat(bodies).as("one POST, for the event the hook listens to").hasSize(1);
        assertThat(contentTypes).containsExactly("application/json POST");
        Map<String, Object> json = new ObjectMapper().readValue(bodies.get(0),
                new TypeReference<Map<String, Object>>() { });
        assertThat(json).containsExactlyInAnyOrderEntriesOf(Map.of("event", "deployed", "host", "web1",
                "commit", "0123abcd", "branch", "main", "generation", "7",
                "system", "/nix/store/abc-nixos-system-web1", "error", ""));
    }

    @Test
    void theGuardRefusesLoopbackWithoutTheOptInAndNothingIsSent() throws IOException {
        HooksSettings hooks = hooks("");
        HttpHook http = new HttpHook(new DestinationGuard(HostResolver.SYSTEM));

        assertThatThrownBy(() -> http.post(hooks.hooks().get(0), Map.of("EVENT", "deployed")))
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessageContaining("hooks[0]").hasMessageContaining("loopback")
                .hasMessageContaining("allow_private_hosts = true");
        // through the observer the refusal is logged, never thrown into the cycle
        observer(hooks).event(new CycleEvent(HostEvent.DRIFT, 1, "abc", 1, "/x", "drift"));
        assertThat(bodies).isEmpty();
    }

    @Test
    void anErrorAnswerIsAHookFailureNotAnException() throws IOException {
        status = 500;
        HooksSettings hooks = hooks("allow_private_hosts = true");
        HttpHook http = new HttpHook(new DestinationGuard(HostResolver.SYSTEM));

        assertThatThrownBy(() -> http.post(hooks.hooks().get(0), Map.of("EVENT", "deployed")))
                .isInstanceOf(HookFailedException.class).hasMessageContaining("HTTP 500");
        observer(hooks).event(new CycleEvent(HostEvent.DEPLOYED, 1, "abc", 1, "/x", ""));
        assertThat(bodies).hasSize(2);
    }
}
