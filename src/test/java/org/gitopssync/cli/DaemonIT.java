package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.AppProcess;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as systemd runs it: scheduled cycles, and SIGTERM stopping a build cleanly. */
class DaemonIT {

    @TempDir
    Path tmp;

    @Test
    void followsTheBranchOnItsScheduleAndStopsOnSigterm() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        AgentFixture fixture = new AgentFixture(tmp, repo).repositoryKeys("poll_interval = \"1s\"\nrandomized_delay = \"0s\"");
        Path config = fixture.writeConfig();
        try (AppProcess.Running daemon = AppProcess.start(tmp, Map.of(), "daemon", "--config", config.toString())) {
            daemon.awaitLine("cycle 1: deployed");
            String next = repo.commitMotd("Deployed by the daemon.");
            daemon.awaitLine("deployed " + next.substring(0, 12));
            assertThat(Files.readString(repo.root().resolve("etc/motd"))).isEqualTo("Deployed by the daemon.\n");

            int exit = daemon.terminate();
            assertThat(exit).as(daemon.stderr()).isIn(0, 143);
        }
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            assertThat(store.recentCycles(100)).as("every cycle was closed before the process ended")
                    .noneMatch(c -> c.outcome() == CycleOutcome.RUNNING);
        }
    }

    @Test
    void usesThePackagedSqliteLibraryAndLeavesTheTempDirectoryAlone() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        Path config = new AgentFixture(tmp, repo).repositoryKeys("poll_interval = \"1h\"").writeConfig();
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        // what sqlite-jdbc takes for a stale copy another process left behind, and sweeps when it extracts its own
        Path stale = Files.writeString(javaTmp.resolve("sqlite-3.50.3.0-left-behind-libsqlitejdbc.so"), "");
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + javaTmp);
        try (AppProcess.Running daemon = AppProcess.start(tmp, env, "daemon", "--config", config.toString())) {
            daemon.awaitLine("cycle 1: deployed");
            assertThat(stale).as("the daemon neither extracts into nor sweeps the temp directory: " + daemon.stderr())
                    .exists();
            try (var left = Files.list(javaTmp)) {
                assertThat(left).as("no copy of the native library in the temp directory")
                        .noneMatch(p -> p.getFileName().toString().endsWith(".so") && !p.equals(stale));
            }
            assertThat(daemon.terminate()).isIn(0, 143);
        }
    }

    @Test
    void sigtermDuringABuildCancelsItRecordsTheCycleAndLeavesNoBuilderRunning() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        String marker = "gitops-sync-spin-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        repo.edit("flake.nix", "args = [ \"-c\" \"printf '%s' \\\"$text\\\" > $out\" ];",
                "args = [ \"-c\" \": " + marker + "; while :; do :; done\" ];");
        repo.commit("a build that never ends");
        // poll ticks every second, so ticks also arrive while the daemon stops
        AgentFixture fixture = new AgentFixture(tmp, repo).repositoryKeys("randomized_delay = \"0s\"")
                .repositoryKeys("poll_interval = \"1s\"");
        Path config = fixture.writeConfig();
        try (AppProcess.Running daemon = AppProcess.start(tmp, Map.of(), "daemon", "--config", config.toString())) {
            daemon.awaitLine("cycle 1: source:");
            assertThat(Processes.await(() -> !Processes.withMarker(marker).isEmpty())).as("the builder started").isTrue();

            int exit = daemon.terminate();

            assertThat(exit).as(daemon.stderr()).isIn(0, 143);
            assertThat(daemon.stderr()).as("a clean stop logs no error").doesNotContain("ERROR", "Exception", "\tat ");
            assertThat(Processes.withMarker(marker)).as("builder processes left behind").isEmpty();
            try (StateStore store = StateStore.open(fixture.stateDir())) {
                CycleRecord c = store.recentCycles(1).get(0);
                assertThat(c.outcome()).isEqualTo(CycleOutcome.CANCELLED);
                assertThat(c.stage()).isEqualTo("build");
            }
        }
    }
}
