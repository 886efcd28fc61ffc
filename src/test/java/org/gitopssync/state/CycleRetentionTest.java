package org.gitopssync.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which finished cycles {@code [history]} removes, on real SQLite, and that the counts of cycles never go down. */
class CycleRetentionTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Instant KEEP_AFTER = NOW.minus(Duration.ofDays(90));
    private static final Instant QUIET_KEEP_AFTER = NOW.minus(Duration.ofDays(7));

    @TempDir
    Path stateDir;
    StateStore store;
    CycleRetention retention;

    @BeforeEach
    void open() {
        store = StateStore.open(stateDir);
        retention = new CycleRetention(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private long cycle(CycleOutcome outcome, int daysAgo) {
        Instant started = NOW.minus(Duration.ofDays(daysAgo));
        long id = store.startCycle("schedule", "main", started, n -> stateDir.resolve("logs/cycle-" + n + ".log"));
        store.setCycleStage(id, "source");
        if (outcome != CycleOutcome.RUNNING) {
            store.finishCycle(id, outcome, "source", outcome.isFailure() ? "it failed" : null, started.plusSeconds(1));
        }
        return id;
    }

    private List<Long> expiredIds() {
        return retention.expired(KEEP_AFTER, QUIET_KEEP_AFTER, 100).stream().map(CycleRetention.Expired::id).toList();
    }

    @Test
    void oldCyclesGoQuietOnesSoonerAndWhatTheAgentStillReadsStays() {
        long oldRefused = cycle(CycleOutcome.REFUSED, 200);
        long oldUnchanged = cycle(CycleOutcome.UNCHANGED, 95);
        long deployed = cycle(CycleOutcome.DEPLOYED, 95);
        store.recordDeployment(new DeploymentRecord(0, deployed, "abc123", "switch", "profile", "/nix/store/x-system", 2,
                DeploymentRecord.Status.SUCCEEDED, null, NOW.minus(Duration.ofDays(95)), NOW.minus(Duration.ofDays(95))));
        long oldFailed = cycle(CycleOutcome.FAILED, 95);
        long owedId = store.startCycle("schedule", "main", NOW.minus(Duration.ofDays(96)));
        store.finishCycle(owedId, CycleOutcome.FAILED, "build", "it failed", NOW.minus(Duration.ofDays(96)), "{}");
        long deadRunning = cycle(CycleOutcome.RUNNING, 99);
        long weekOldUnchanged = cycle(CycleOutcome.UNCHANGED, 10);
        long weekOldWaiting = cycle(CycleOutcome.WAITING, 8);
        long recentFailed = cycle(CycleOutcome.FAILED, 10);
        long newestWaiting = cycle(CycleOutcome.WAITING, 1);
        long newestUnchanged = cycle(CycleOutcome.UNCHANGED, 0);
        // newer cycles of the same outcomes: the deployment and the unfinished cycle stay by their own rules
        long newerDeployed = cycle(CycleOutcome.DEPLOYED, 0);
        long newerRunning = cycle(CycleOutcome.RUNNING, 0);

        assertThat(expiredIds()).containsExactly(oldUnchanged, oldFailed, weekOldUnchanged, weekOldWaiting);

        List<CycleTally> before = store.cycleTallies();
        retention.remove(expiredIds());

        for (long gone : List.of(oldUnchanged, oldFailed, weekOldUnchanged, weekOldWaiting)) {
            assertThat(store.cycle(gone)).as("cycle %d", gone).isEmpty();
        }
        for (long kept : List.of(oldRefused, deployed, owedId, deadRunning, recentFailed, newestWaiting,
                newestUnchanged, newerDeployed, newerRunning)) {
            assertThat(store.cycle(kept)).as("cycle %d", kept).isPresent();
        }
        assertThat(store.cycleTallies()).as("the counts the metrics report").isEqualTo(before);
        assertThat(new CycleHistory(store).stages(oldUnchanged)).isEmpty();
        assertThat(new CycleHistory(store).stages(newestUnchanged)).isNotEmpty();
        assertThat(expiredIds()).isEmpty();
        assertThat(store.recentDeployments(10)).singleElement().extracting(DeploymentRecord::cycleId).isEqualTo(deployed);
    }

    @Test
    void theNewestCycleOfEachOutcomeStaysHoweverOld() {
        long onlyUnchanged = cycle(CycleOutcome.UNCHANGED, 400);
        long onlyFailed = cycle(CycleOutcome.FAILED, 400);
        assertThat(expiredIds()).isEmpty();
        long newer = cycle(CycleOutcome.UNCHANGED, 300);
        assertThat(expiredIds()).containsExactly(onlyUnchanged);
        assertThat(store.cycle(onlyFailed)).isPresent();
        assertThat(store.cycle(newer)).isPresent();
    }

    @Test
    void countsRemovedInSeveralPassesAddUp() {
        for (int i = 0; i < 5; i++) {
            cycle(CycleOutcome.UNCHANGED, 30 - i);
        }
        cycle(CycleOutcome.UNCHANGED, 0);
        List<CycleTally> before = store.cycleTallies();
        retention.remove(retention.expired(KEEP_AFTER, QUIET_KEEP_AFTER, 2).stream().map(CycleRetention.Expired::id)
                .toList());
        retention.remove(expiredIds());
        assertThat(store.recentCycles(100)).hasSize(1);
        assertThat(store.cycleTallies()).isEqualTo(before)
                .singleElement().extracting(CycleTally::count).isEqualTo(6L);
    }
}
