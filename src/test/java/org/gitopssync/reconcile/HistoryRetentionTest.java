package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        retention = process();
    }

    /** What a process of the agent builds: 30 days of history, a day of polls that found nothing to do. */
    private HistoryRetention process() {
        return new HistoryRetention(new HistorySettings(Duration.ofDays(30), Duration.ofDays(1)), store,
                (keepAfter, limit) -> 0, logDir, lastPass(), clock);
    }

    /** A pass 40 minutes after the last removes nothing; one an hour after it removes {@code poll}. */
    private void assertTheNextPassWaitsAnHour(HistoryRetention next, long poll, String what) throws IOException {
        clock.advance(Duration.ofMinutes(40));
        assertThat(next.runIfDue().cycles()).as(what).isZero();
        assertThat(store.cycle(poll)).isPresent();

        clock.advance(Duration.ofMinutes(20));
        assertThat(next.runIfDue().cycles()).isEqualTo(1);
        assertThat(store.cycle(poll)).isEmpty();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Path lastPass() {
        return tmp.resolve("state/" + Reconciler.HISTORY_PASS);
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

        assertThat(retention.runIfDue().cycles()).isEqualTo(3);

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
        assertThat(retention.runIfDue().cycles()).as("the first poll is 23.5 hours old").isZero();

        assertTheNextPassWaitsAnHour(retention, poll, "past its day, but 40 minutes after the last pass");
    }

    @Test
    void aPassInOneProcessClosesTheGateForTheOthersForAnHour() throws IOException {
        cycle(CycleOutcome.UNCHANGED);
        clock.advance(Duration.ofHours(1));
        long poll = cycle(CycleOutcome.UNCHANGED);
        clock.advance(Duration.ofHours(23).plusMinutes(30));
        cycle(CycleOutcome.UNCHANGED);
        assertThat(retention.runIfDue().cycles()).as("the first poll; the second is 23.5 hours old").isEqualTo(1);

        // the next timer run is another process, with nothing in memory of that pass
        assertTheNextPassWaitsAnHour(process(), poll, "past its day, but 40 minutes after the pass");
    }

    @Test
    void aPassStoppedBetweenTheLogAndTheRowLeavesOnlyTheRowForTheNext() throws Exception {
        long old = cycle(CycleOutcome.UNCHANGED);
        clock.advance(Duration.ofDays(2));
        cycle(CycleOutcome.UNCHANGED);
        // the database refuses the removal, as a process killed after the file and before the row would have left it
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("state/state.db"));
                Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER stopped BEFORE DELETE ON cycles BEGIN SELECT RAISE(ABORT, 'stopped here'); END");
        }
        assertThatThrownBy(retention::runIfDue).hasMessageContaining("stopped here");
        assertThat(logDir.resolve("cycle-" + old + ".log")).as("the file goes first").doesNotExist();
        assertThat(store.cycle(old)).as("the row stays for the next pass").isPresent();

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("state/state.db"));
                Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER stopped");
        }
        clock.advance(HistoryRetention.EVERY);
        assertThat(retention.runIfDue().cycles()).isEqualTo(1);
        assertThat(store.cycle(old)).isEmpty();
        assertThat(store.cycleTallies()).singleElement().extracting(t -> t.count()).isEqualTo(2L);
    }

    @Test
    void aClockSetBackByMoreThanAnHourDoesNotStopThePasses() throws IOException {
        cycle(CycleOutcome.UNCHANGED);
        clock.advance(Duration.ofDays(2));
        long poll = cycle(CycleOutcome.UNCHANGED);
        // a clock 100 days fast (a bad real-time clock) runs a pass, then is corrected
        clock.advance(Duration.ofDays(100));
        assertThat(retention.runIfDue().cycles()).isEqualTo(1);
        clock.advance(Duration.ofDays(-100));
        cycle(CycleOutcome.UNCHANGED);
        clock.advance(Duration.ofDays(2));

        assertThat(retention.runIfDue().cycles()).as("the poll of two days ago").isEqualTo(1);
        assertThat(store.cycle(poll)).isEmpty();
    }

    @Test
    void pullRequestCheckLogsGoOnceTheyAreOlderThanKeep() throws IOException {
        Path old = Files.writeString(logDir.resolve("pr-7-0123456789ab.log"), "checks of pull request 7\n");
        Path recent = Files.writeString(logDir.resolve("pr-8-ba9876543210.log"), "checks of pull request 8\n");
        Path other = Files.writeString(logDir.resolve("notes.txt"), "the operator's\n");
        Files.setLastModifiedTime(old, FileTime.from(START.minus(Duration.ofDays(31))));
        Files.setLastModifiedTime(recent, FileTime.from(START.minus(Duration.ofDays(29))));
        Files.setLastModifiedTime(other, FileTime.from(START.minus(Duration.ofDays(400))));

        assertThat(retention.runIfDue()).isEqualTo(new HistoryRetention.Pass(0, 0, 1));

        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(other).exists();
    }

    @Test
    void ciRunsAreAskedInBatchesUntilNoneIsLeftAfterKeep() {
        List<Instant> asked = new ArrayList<>();
        int[] left = {1200};
        HistoryRetention withRuns = new HistoryRetention(new HistorySettings(Duration.ofDays(30), Duration.ofDays(1)),
                store, (keepAfter, limit) -> {
                    asked.add(keepAfter);
                    int n = Math.min(limit, left[0]);
                    left[0] -= n;
                    return n;
                }, logDir, lastPass(), clock);

        assertThat(withRuns.runIfDue().ciRuns()).isEqualTo(1200);
        assertThat(asked).hasSize(4).containsOnly(START.minus(Duration.ofDays(30)));
    }

    @Test
    void aLogPathOutsideTheAgentsLogDirectoryIsNeverDeleted() throws IOException {
        Path elsewhere = tmp.resolve("operator/notes.log");
        long old = cycle(CycleOutcome.UNCHANGED, elsewhere);
        long escaping = cycle(CycleOutcome.UNCHANGED, logDir.resolve("../../operator/other.log"));
        clock.advance(Duration.ofDays(2));
        cycle(CycleOutcome.UNCHANGED);

        assertThat(retention.runIfDue().cycles()).isEqualTo(2);

        assertThat(store.cycle(old)).isEmpty();
        assertThat(store.cycle(escaping)).isEmpty();
        assertThat(elsewhere).exists();
        assertThat(tmp.resolve("operator/other.log")).exists();
    }
}
