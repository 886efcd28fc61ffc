package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.ci.CiRunRecord;
import org.gitopssync.ci.CiStatus;
import org.gitopssync.config.NixSystem;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BUILD stage runs the CI engine: the host's system and the checks, and failed checks block activation. */
class BuildStageTest {

    private static final String CHECK = "checks." + NixSystem.current() + ".motd-not-empty";

    @TempDir
    Path tmp;

    DemoFlakeRepo repo;
    AgentFixture fixture;

    @BeforeEach
    void setUp() {
        repo = DemoFlakeRepo.create(tmp);
        fixture = new AgentFixture(tmp, repo);
    }

    private CycleReport cycle() {
        try (Agent agent = fixture.open(new RecordingCommandRunner())) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }

    private void breakTheMotdCheck() {
        repo.edit("flake.nix", "[ -n \"$first\" ]", "echo the motd check fails on purpose >&2; exit 1");
        repo.commit("break a check");
    }

    @Test
    void aFailedCheckFailsTheCycleInBuildNamingTheCheckAndNothingIsActivated() throws IOException {
        breakTheMotdCheck();

        CycleReport report = cycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.stage()).isEqualTo(Stage.BUILD);
        assertThat(report.summary()).contains("1 check failed at " + repo.head().substring(0, 12),
                "ci.checks_block_deploy", CHECK, "the motd check fails on purpose");
        assertThat(Files.exists(repo.root().resolve("activations.log"))).isFalse();
        assertThat(Files.readString(report.log())).contains(CHECK + ": failed");
        try (Agent agent = fixture.open(new RecordingCommandRunner())) {
            CiRunRecord run = agent.ci().results().recentRuns(1).get(0);
            assertThat(run.commit()).isEqualTo(repo.head());
            assertThat(agent.ci().results().results(run.id())).anySatisfy(r -> {
                assertThat(r.attribute()).isEqualTo(CHECK);
                assertThat(r.status()).isEqualTo(CiStatus.FAILED);
            });
        }
    }

    @Test
    void withChecksNotBlockingTheSystemIsDeployedAnyway() {
        fixture.extra("[ci]\nchecks_block_deploy = false");
        breakTheMotdCheck();

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
    }
}
