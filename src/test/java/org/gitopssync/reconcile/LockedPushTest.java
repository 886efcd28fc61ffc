package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.gitopssync.app.Agent;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.LockHolderProcess;
import org.gitopssync.testing.Processes;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A push that arrives while another process (a manual or timer cycle) holds the lock runs once it lets go. */
class LockedPushTest {

    @TempDir
    Path tmp;

    @Test
    void aPushDuringAnotherProcesssCycleRunsAsSoonAsTheLockIsFreeNotAtTheNextPoll() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        AgentFixture fixture = new AgentFixture(tmp, repo);
        try (Agent agent = fixture.open(new RecordingCommandRunner());
                CycleScheduler cycles = new CycleScheduler(agent.reconciler(), Duration.ZERO);
                LockHolderProcess manual = LockHolderProcess.start(fixture.stateDir())) {
            cycles.supersede(repo.head(), true);
            assertThat(Processes.await(cycles::waitingForLock)).as("the push waits for the lock").isTrue();
            assertThat(cycles.lastReport()).isEmpty();
            assertThat(agent.store().recentCycles(1)).as("no cycle ran under the other's lock").isEmpty();

            manual.release();

            assertThat(Processes.await(() -> cycles.lastReport().isPresent())).as("the queued cycle ran").isTrue();
            CycleReport report = cycles.lastReport().orElseThrow();
            assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
            assertThat(report.commit()).isEqualTo(repo.head());
            assertThat(cycles.waitingForLock()).isFalse();
        }
    }
}
