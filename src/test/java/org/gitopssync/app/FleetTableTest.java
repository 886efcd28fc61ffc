package org.gitopssync.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.Settings;
import org.gitopssync.config.SettingsLoader;
import org.gitopssync.fleet.FleetStatus;
import org.gitopssync.source.GitSource;
import org.gitopssync.testing.GitCli;
import org.gitopssync.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The builder's page is served on the web server's one event loop: the fleet table must never be read there. */
class FleetTableTest {

    @TempDir
    Path tmp;

    @Test
    @Timeout(120) // a page that waited on the forge would hang here, not fail fast
    void thePageShowsTheLastTableReadWhileTheForgeIsSlow() throws Exception {
        Path origin = Files.createDirectories(tmp.resolve("origin"));
        GitCli.run(origin, "init", "-q", "-b", "main");
        Files.writeString(origin.resolve("flake.nix"), "# one\n");
        GitCli.run(origin, "add", "flake.nix");
        GitCli.run(origin, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
        Settings settings = settings(origin);
        GitSource source = new GitSource(settings.repository(), new CredentialResolver(Map.of(), null),
                settings.stateDir());
        source.fetch();
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch forgeAnswers = new CountDownLatch(1);
        FleetStatus fleet = new FleetStatus(source, Optional.empty(), Optional.of(sha -> {
            asked.countDown();
            try {
                forgeAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }));
        FleetTable table = new FleetTable(settings, fleet, Optional.empty(), Clock.systemUTC());

        assertThat(table.get()).as("nothing read yet, and the page does not wait for the read").isEmpty();
        assertThat(asked.await(60, TimeUnit.SECONDS)).as("the read runs, on its own thread").isTrue();
        assertThat(table.get()).as("the forge still has not answered; the page is served anyway").isEmpty();

        forgeAnswers.countDown();
        assertThat(Processes.await(() -> table.get().isPresent())).isTrue();
        assertThat(table.get().orElseThrow().hosts()).extracting(FleetStatus.HostLine::host).containsExactly("web-1");
        source.close();
    }

    private Settings settings(Path origin) throws IOException {
        Files.writeString(tmp.resolve("builder.sec"), "builder-1:unused\n");
        String toml = """
                hostname = "builder"
                state_dir = "%s"
                [repository]
                url = "%s"
                [ci]
                hosts = ["web-1"]
                [fleet]
                role = "builder"
                releases = "%s"
                signing_key = { file = "%s" }
                """.formatted(tmp.resolve("state"), origin.toUri(), tmp.resolve("releases").toUri(),
                tmp.resolve("builder.sec"));
        Path file = Files.writeString(tmp.resolve("gitops.toml"), toml);
        return new SettingsLoader(Map.of()).load(file).settings();
    }
}
