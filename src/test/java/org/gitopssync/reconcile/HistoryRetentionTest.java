package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.gitopssync.config.HistorySettings;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pass of {@code [history]} removes an old cycle's log file with its row, at most once an hour. */
class HistoryRetentionTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path tmp;
    Path logDir;
    StateStore store;
    MutableClock clock;
    HistoryRetention retention;

    @BeforeEach
    void open() throws IOException {
        logDir = Files.createDirectories(tmp.resolve("state/logs"));
        store = StateStore.open(tmp.resolve("state"));
        clock = new MutableClock(START);
        retention = new HistoryRetention(new HistorySettings(Duration.ofDays(30), Duration.ofDays(1)), store, logDir,
                clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A finished cycle started now, with a log file at {@code log} (which may lie outside the log directory). */
    private long cycle(CycleOutcome outcome, Path log) throws IOException {
        long id = store.startCycle("schedule", "main", clock.instant(), n -> log);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "cycle " + id + ": " + outcome.word() + "\n");
        store.finishCycle(id, outcome, "source", null, clock.instant());
        return id;
    }

    private long cycle(CycleOutcome outcome) throws IOException {
        return cycle(outcome, logDir.resolve("cycle-" + (store.recentCycles(1).stream().mapToLong(c -> c.id())
                .max().orElse(0) + 1) + ".log"));
    }

    @Test
    void anExpiredCycleLosesItsLogFileAndItsRowAndTheRestStay() throws IOException {
        long oldPoll = cycle(CycleOutcome.UNCHANGED);
        long built = cycle(CycleOutcome.BUILT);
        long oldBuild = cycle(CycleOutcome.BUILT);
        Files.createDirectories(logDir.resolve("cache-" + oldBuild));
        Files.writeString(logDir.resolve("cache-" + oldBuild + "/cache-main.log"), "copying 3 paths\n");
        clock.advance(Duration.ofDays(31));
        long builtLater = cycle(CycleOutcome.BUILT);
        Files.createDirectories(logDir.resolve("cache-" + builtLater));
        clock.advance(Duration.ofDays(2));
        long newestPoll = cycle(CycleOutcome.UNCHANGED);

        assertThat(retention.runIfDue()).isEqualTo(3);

        assertThat(store.cycle(oldPoll)).isEmpty();
        assertThat(logDir.resolve("cycle-" + oldPoll + ".log")).doesNotExist();
        assertThat(store.cycle(built)).isEmpty();
        assertThat(store.cycle(oldBuild)).isEmpty();
        assertThat(logDir.resolve("cache-" + oldBuild)).as("its cache pushes' logs").doesNotExist();
        assertThat(store.cycle(builtLater)).isPresent();
        assertThat(logDir.resolve("cycle-" + builtLater + ".log")).exists();
        assertThat(logDir.resolve("cache-" + builtLater)).exists();
        assertThat(logDir.resolve("cycle-" + newestPoll + ".log")).exists();
    }

    @Test
    void aPassRunsAtMostOnceAnHour() throws IOException {
        long poll = cycle(CycleOutcome.UNCHANGED);
        clock.advance(Duration.ofHours(23).plusMinutes(30));
        cycle(CycleOutcome.UNCHANGED);
        assertThat(retention.runIfDue()).as("the first poll is 23.5 hours old").isZero();

        clock.advance(Duration.ofMinutes(40));
        assertThat(retention.runIfDue()).as("past its day, but 40 minutes after the last pass").isZero();
        assertThat(store.cycle(poll)).isPresent();

        clock.advance(Duration.ofMinutes(20));
        assertThat(retention.runIfDue()).isEqualTo(1);
        assertThat(store.cycle(poll)).isEmpty();
    }

    @Test
    void aPassKilledAfterRemovingLogsIsFinishedByTheNext() throws IOException {
        long old = cycle(CycleOutcome.UNCHANGED);
        clock.advance(Duration.ofDays(2));
        cycle(CycleOutcome.UNCHANGED);
        // what a SIGKILL between the file and the row leaves: the row of a cycle whose log is gone
        Files.delete(logDir.resolve("cycle-" + old + ".log"));

        assertThat(retention.runIfDue()).isEqualTo(1);
        assertThat(store.cycle(old)).isEmpty();
        assertThat(store.cycleTallies()).singleElement().extracting(t -> t.count()).isEqualTo(2L);
    }

    @Test
    void aLogPathOutsideTheAgentsLogDirectoryIsNeverDeleted() throws IOException {
        Path elsewhere = tmp.resolve("operator/notes.log");
        long old = cycle(CycleOutcome.UNCHANGED, elsewhere);
        long escaping = cycle(CycleOutcome.UNCHANGED, logDir.resolve("../../operator/other.log"));
        clock.advance(Duration.ofDays(2));
        cycle(CycleOutcome.UNCHANGED);

        assertThat(retention.runIfDue()).isEqualTo(2);

        assertThat(store.cycle(old)).isEmpty();
        assertThat(store.cycle(escaping)).isEmpty();
        assertThat(elsewhere).exists();
        assertThat(tmp.resolve("operator/other.log")).exists();
    }
}
