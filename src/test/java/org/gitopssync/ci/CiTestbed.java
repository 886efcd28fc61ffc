package org.gitopssync.ci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.Settings;
import org.gitopssync.config.SettingsLoader;
import org.gitopssync.nix.Nix;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.RecordingCommandRunner;

/** A real CI engine on a temporary state directory, configured from a {@code [ci]} TOML snippet. */
final class CiTestbed implements AutoCloseable {

    final Path stateDir;
    final RecordingCommandRunner runner;
    final StateStore store;
    final CiEngine engine;
    final Settings settings;

    CiTestbed(Path base, String ciToml) {
        this(base, ciToml, Map.of());
    }

    CiTestbed(Path base, String ciToml, Map<String, String> runnerEnvironment) {
        this(base, ciToml, runnerEnvironment, Map.of());
    }

    /** {@code agentEnvironment}: what the agent's credential sources read ({@code CREDENTIALS_DIRECTORY}...). */
    CiTestbed(Path base, String ciToml, Map<String, String> runnerEnvironment, Map<String, String> agentEnvironment) {
        this.stateDir = base.resolve("state");
        Path config = base.resolve("gitops.toml");
        try {
            Files.writeString(config, """
                    hostname = "demo"
                    state_dir = "%s"

                    [repository]
                    url = "file:///nowhere"

                    [ci]
                    max_parallel_builds = 2
                    %s
                    """.formatted(stateDir, ciToml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.settings = new SettingsLoader(Map.of()).load(config).settings();
        this.runner = new RecordingCommandRunner(runnerEnvironment);
        this.store = StateStore.open(stateDir);
        CredentialResolver credentials = new CredentialResolver(agentEnvironment, (p, f) -> {
            throw new IllegalStateException("no vault in this test");
        });
        this.engine = new CiEngine(new Nix(runner, Map.of(), BuildPlacement.of(settings.ci(), credentials)),
                new CiResultStore(store), settings.ci(), settings.hostname(),
                stateDir, Clock.systemUTC());
    }

    CiResult run(CiRun request) {
        return engine.run(request, Cancellation.none());
    }

    /** Command lines that built (realised) the given derivation. */
    List<List<String>> realisationsOf(String drvPath) {
        return runner.commands().stream()
                .filter(c -> c.contains(drvPath) || c.contains(drvPath + "^*"))
                .filter(c -> c.contains("--realise") || c.contains("build"))
                .filter(c -> !c.contains("--dry-run"))
                .toList();
    }

    /** Command lines that realised any derivation (a .drv argument): building, not just rooting valid paths. */
    List<List<String>> anyRealisation() {
        return runner.commands().stream()
                .filter(c -> c.contains("--realise") || c.contains("build"))
                .filter(c -> !c.contains("--dry-run"))
                .filter(c -> c.stream().anyMatch(a -> a.endsWith(".drv") || a.endsWith(".drv^*")))
                .toList();
    }

    @Override
    public void close() {
        store.close();
    }
}
