package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.AppProcess;
import org.gitopssync.testing.AppProcess.Result;
import org.gitopssync.testing.DemoFlakeRepo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status --watch} as an operator runs it next to a daemon, and next to timer runs (no daemon). */
class StatusWatchIT {

    @TempDir
    Path tmp;

    @Test
    void followsTheDaemonsRunningCycleThroughItsEventsAndExitsOneWhenItFails() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        // the builder may run as another user (nixbld): it must be able to look for the gate
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path gate = tmp.resolve("gate");
        // the build waits for the test to open the gate, then fails: the watch joins a cycle under way
        repo.edit("flake.nix", "args = [ \"-c\" \"printf '%s' \\\"$text\\\" > $out\" ];",
                "args = [ \"-c\" \"while [ ! -e " + gate + " ]; do /bin/sleep 0.2; done; echo gated-build-fails; exit 1\" ];");
        repo.commit("a build that waits for the test, then fails");
        int port = freePort();
        Path config = new AgentFixture(tmp, repo).repositoryKeys("poll_interval = \"1h\"\nrandomized_delay = \"0s\"")
                .extra("\n[web]\nenable = true\naddress = \"127.0.0.1\"\nport = " + port + "\n").writeConfig();
        try (AppProcess.Running daemon = AppProcess.start(tmp, Map.of(), "daemon", "--config", config.toString())) {
            daemon.awaitLine("cycle 1: source:");
            try (AppProcess.Running watch = AppProcess.startCombined(tmp, Map.of(), "status", "--watch", "--config",
                    config.toString())) {
                watch.awaitLine("following the daemon's events at http://127.0.0.1:" + port + "/api/events");
                watch.awaitLine("cycle #1 is running");
                // replayed from the daemon's ring, with the full commit shortened for the terminal
                watch.awaitLine("cycle #1: build " + repo.head().substring(0, 12));
                Files.writeString(gate, "open\n");

                int exit;
                try {
                    exit = AppProcess.exitCode(watch);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\ndaemon:\n" + daemon.stderr(), e);
                }

                String last = watch.awaitLine("cycle #1: failed");
                assertThat(last).contains("in build:");
                assertThat(exit).as(watch.stderr()).isEqualTo(1);
                assertThat(watch.stderr()).doesNotContain("Exception", "\tat ");
                // the JDK's HTTP client logs through jboss-logmanager's System.LoggerFinder, which would complain
                // once that the one-shot console is not its LogManager
                assertThat(watch.stderr()).doesNotContain("LogManager");
            }
            daemon.awaitLine("cycle 1: failed");
        }
    }

    @Test
    void withoutADaemonFollowsTheNextCycleThroughTheStateStoreAndExitsZeroWhenItDeploys() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        // [web] enabled but nobody listens: the watch must fall back to the state store
        Path config = new AgentFixture(tmp, repo).extra("\n[web]\nenable = true\naddress = \"127.0.0.1\"\nport = "
                + freePort() + "\n").writeConfig();
        try (AppProcess.Running watch = AppProcess.startCombined(tmp, Map.of(), "status", "--watch", "--config",
                config.toString())) {
            watch.awaitLine("following the state store in ");
            watch.awaitLine("waiting for the next cycle (the last was #0)");

            Result sync = AppProcess.run(tmp, Map.of(), "sync", "--once", "--config", config.toString());
            assertThat(sync.exitCode()).as(sync.stderr()).isZero();

            int exit = AppProcess.exitCode(watch);
            assertThat(exit).as(watch.stderr()).isZero();
            assertThat(watch.stderr()).contains("cycle #1 started (manual)")
                    .contains("cycle #1: deployed in ").contains("(" + repo.head().substring(0, 12) + ")");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
