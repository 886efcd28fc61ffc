package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.time.Duration;
import org.gitopssync.app.Agent;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.Processes;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM during a build: the cycle is cancelled and recorded, and late poll ticks or pushes are no error. */
class SchedulerShutdownTest {

    @TempDir
    Path tmp;

    @Test
    void stoppingDuringABuildCancelsItAndLaterTicksAndPushesAreIgnoredWithoutAnError() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        String marker = "gitops-stopping-" + System.nanoTime();
        repo.edit("flake.nix", "read -r first < ${motd}", ": " + marker + "; while :; do :; done");
        String stuck = repo.commit("a check that never ends");
        AgentFixture fixture = new AgentFixture(tmp, repo);
        try (Agent agent = fixture.open(new RecordingCommandRunner());
                CycleScheduler cycles = new CycleScheduler(agent.reconciler(), Duration.ZERO)) {
            cycles.request(Trigger.SCHEDULE);
            assertThat(Processes.await(() -> !Processes.withMarker(marker).isEmpty())).as("the build started").isTrue();

            cycles.shutdown(Duration.ofMinutes(2));

            // the Quarkus scheduler may still tick, and a webhook may still arrive, while the JVM stops
            assertThatCode(cycles::requestScheduled).doesNotThrowAnyException();
            assertThatCode(() -> cycles.request(Trigger.WEBHOOK)).doesNotThrowAnyException();
            assertThatCode(() -> cycles.supersede(stuck, true)).doesNotThrowAnyException();
            CycleRecord c = agent.store().recentCycles(1).get(0);
            assertThat(c.outcome()).isEqualTo(CycleOutcome.CANCELLED);
            assertThat(c.stage()).isEqualTo("build");
            assertThat(c.error()).contains("the daemon is stopping");
            assertThat(Processes.withMarker(marker)).isEmpty();
        }
    }
}
