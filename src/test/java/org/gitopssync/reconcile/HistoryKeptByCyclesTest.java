package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.CycleTally;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cycle an hour after the last pass removes what {@code [history]} no longer keeps, whichever process runs it (a
 * timer's {@code sync --once}): here polls are kept for no time at all, so only the newest poll and the deployment
 * stay (real git and Nix).
 */
class HistoryKeptByCyclesTest {

    @TempDir
    Path tmp;

    @Test
    void olderPollsAndTheirLogsGoTheDeploymentAndTheNewestPollStay() throws IOException {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        AgentFixture fixture = new AgentFixture(tmp, repo).extra("""
                [history]
                keep_unchanged = "0s"
                """);
        CycleReport deployed = cycle(fixture);
        CycleReport firstPoll = cycle(fixture);
        assertThat(deployed.outcome()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(firstPoll.outcome()).isEqualTo(CycleOutcome.UNCHANGED);
        keepLine(firstPoll);

        CycleReport secondPoll = cycle(fixture);
        assertThat(firstPoll.log()).doesNotExist();
        keepLine(secondPoll);

        CycleReport thirdPoll = cycle(fixture);
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            assertThat(store.recentCycles(10)).extracting(CycleRecord::id)
                    .containsExactly(thirdPoll.cycleId(), deployed.cycleId());
            assertThat(store.cycleTallies()).filteredOn(t -> t.outcome() == CycleOutcome.UNCHANGED)
                    .singleElement().extracting(CycleTally::count).isEqualTo(3L);
        }
        assertThat(secondPoll.log()).doesNotExist();
        assertThat(deployed.log()).exists();
    }

    /** A poll's log holds its outcome line; tests log at WARN, so the line is written here as the agent writes it. */
    private static void keepLine(CycleReport poll) throws IOException {
        Files.writeString(poll.log(), "INFO  cycle " + poll.cycleId() + ": unchanged\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** A cycle an hour or more after the last pass, as a timer's next runs are: the pass runs after it. */
    private static CycleReport cycle(AgentFixture fixture) throws IOException {
        Files.deleteIfExists(fixture.stateDir().resolve(Reconciler.HISTORY_PASS));
        try (Agent agent = fixture.open(new RecordingCommandRunner())) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }
}
