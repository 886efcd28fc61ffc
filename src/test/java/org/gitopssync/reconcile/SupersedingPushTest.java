package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gitopssync.app.Agent;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.Processes;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In the daemon, a push of a newer commit stops the build of an older one instead of queueing behind it. */
class SupersedingPushTest {

    @TempDir
    Path tmp;

    @Test
    void aNewerPushCancelsTheRunningBuildAndTheNewHeadIsDeployed() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        String marker = "gitops-superseded-" + System.nanoTime();
        repo.edit("flake.nix", "read -r first < ${motd}", ": " + marker + "; while :; do :; done");
        String stuck = repo.commit("a check that never ends");
        AgentFixture fixture = new AgentFixture(tmp, repo);
        try (Agent agent = fixture.open(new RecordingCommandRunner());
                CycleScheduler cycles = new CycleScheduler(agent.reconciler(), Duration.ZERO)) {
            cycles.request(Trigger.SCHEDULE);
            awaitTrue(() -> stuck.equals(agent.reconciler().currentTarget().orElse(null))
                    && !Processes.withMarker(marker).isEmpty(), "the stuck build to start");

            repo.edit("flake.nix", ": " + marker + "; while :; do :; done", "read -r first < ${motd}");
            String fixed = repo.commit("the check ends again");
            cycles.supersede(fixed, true);
            awaitTrue(() -> cycles.lastReport().filter(r -> fixed.equals(r.commit())).isPresent(),
                    "a cycle for the new head");

            List<CycleRecord> history = agent.store().recentCycles(10);
            assertThat(history.get(0).commit()).isEqualTo(fixed);
            assertThat(history.get(0).outcome()).isEqualTo(CycleOutcome.DEPLOYED);
            assertThat(history.get(1).commit()).isEqualTo(stuck);
            assertThat(history.get(1).outcome()).isEqualTo(CycleOutcome.CANCELLED);
            assertThat(history.get(1).error()).contains("superseded by " + fixed);
            assertThat(Processes.withMarker(marker)).as("the superseded build's processes are gone").isEmpty();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        assertThat(Processes.await(condition)).as("waited for " + what).isTrue();
    }
}
