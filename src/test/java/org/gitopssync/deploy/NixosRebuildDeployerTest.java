package org.gitopssync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleRequest;
import org.gitopssync.reconcile.Trigger;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.DeploymentRecord;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nixos-rebuild method, which cannot run here: a recording stand-in named nixos-rebuild on
 * the PATH proves the exact command line the agent runs after building the system itself.
 */
class NixosRebuildDeployerTest {

    @TempDir
    Path tmp;

    DemoFlakeRepo repo;
    AgentFixture fixture;
    Path calls;
    RecordingCommandRunner runner;

    @BeforeEach
    void setUp() throws IOException {
        repo = DemoFlakeRepo.create(tmp);
        fixture = new AgentFixture(tmp, repo).deployMethod("nixos-rebuild");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        calls = tmp.resolve("nixos-rebuild.calls");
        Path fake = bin.resolve("nixos-rebuild");
        Files.writeString(fake, """
                #!/bin/sh
                # recording double of nixos-rebuild: one line per call, arguments separated by tabs
                (IFS='\t'; echo "$*") >> '%s'
                [ -e '%s' ] && { echo "error: activation of the new system failed" >&2; exit 4; }
                exit 0
                """.formatted(calls, tmp.resolve("fail")));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        runner = new RecordingCommandRunner(Map.of("PATH", bin + ":" + System.getenv("PATH")));
    }

    private CycleReport cycle() {
        try (Agent agent = Agent.open(fixture.load(Map.of()).settings(), Map.of(), runner, Clock.systemUTC())) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }

    private List<String> recordedCalls() throws IOException {
        return Files.readAllLines(calls);
    }

    @Test
    void runsNixosRebuildSwitchWithTheExactCommitsFlakeRef() throws IOException {
        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        String ref = "git+file://" + fixture.stateDir().resolve("repo.git") + "?ref=refs/heads/main&rev=" + repo.head();
        assertThat(recordedCalls()).containsExactly(String.join("\t", "switch", "--flake", ref + "#demo"));
        assertThat(runner.commands()).anySatisfy(argv -> assertThat(argv)
                .containsExactly("nixos-rebuild", "switch", "--flake", ref + "#demo"));
    }

    @Test
    void aFailedNixosRebuildIsRecordedAndExitsFailed() throws IOException {
        Files.writeString(tmp.resolve("fail"), "");

        CycleReport report = cycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.summary()).contains("nixos-rebuild switch failed", "activation of the new system failed");
        try (Agent agent = Agent.open(fixture.load(Map.of()).settings(), Map.of(), runner, Clock.systemUTC())) {
            DeploymentRecord d = agent.store().recentDeployments(1).get(0);
            assertThat(d.method()).isEqualTo("nixos-rebuild");
            assertThat(d.status()).isIn(DeploymentRecord.Status.FAILED, DeploymentRecord.Status.ROLLED_BACK);
        }
    }
}
