package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.ci.CiResultStore;
import org.gitopssync.ci.CiRunRecord;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.state.CycleHistory;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.ProcessOwner;
import org.gitopssync.state.StageEntry;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.MutableClock;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A cycle after a process was SIGKILLed mid-cycle closes what it left; a cycle dying on any Throwable is recorded. */
class CrashRecoveryTest {

    @TempDir
    Path tmp;

    DemoFlakeRepo repo;
    AgentFixture fixture;

    @BeforeEach
    void setUp() {
        repo = DemoFlakeRepo.create(tmp);
        fixture = new AgentFixture(tmp, repo);
    }

    /** The owner of a process that has exited (a pid no longer running, or reused by another process). */
    private static ProcessOwner deadOwner() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return new ProcessOwner(p.pid(), 1);
    }

    @Test
    void aKilledCyclesRunRootsAndTokenAreClosedAndRemovedByTheNextCycle() throws Exception {
        // the state directory as a process SIGKILLed during a build and a niks3 push leaves it
        ProcessOwner dead = deadOwner();
        Path stateDir = fixture.stateDir();
        long deadCycle;
        long deadRun;
        try (StateStore store = StateStore.open(stateDir)) {
            deadCycle = store.startCycle("manual", "main", Instant.parse("2024-01-01T00:00:00Z"));
            store.setCycleStage(deadCycle, "build");
            deadRun = new CiResultStore(store).startRun("main", repo.head(), "git+file:///x", Instant.now());
            store.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE ci_runs SET owner = ? WHERE id = ?")) {
                    ps.setString(1, dead.toString());
                    ps.setLong(2, deadRun);
                    return ps.executeUpdate();
                }
            });
        }
        Path roots = stateDir.resolve("gcroots/ci/" + deadRun);
        Files.createDirectories(roots);
        Files.createSymbolicLink(roots.resolve("toplevel"), tmp);
        Path deadScratch = stateDir.resolve("run/cache/" + dead + "-cache-niks3-123");
        Files.createDirectories(deadScratch);
        Files.writeString(deadScratch.resolve("token"), "s3cr3t-token\n");
        Path liveScratch = stateDir.resolve("run/cache/" + ProcessOwner.current() + "-cache-other-456");
        Files.createDirectories(liveScratch);

        CycleReport report;
        try (Agent agent = fixture.open(new RecordingCommandRunner())) {
            report = agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
            CycleRecord abandoned = agent.store().cycle(deadCycle).orElseThrow();
            assertThat(abandoned.outcome()).isEqualTo(CycleOutcome.ABANDONED);
            assertThat(abandoned.stage()).isEqualTo("build");
            assertThat(abandoned.finishedAt()).isNotNull();
            assertThat(abandoned.error()).contains("stopped during build");
            CiRunRecord run = agent.ci().results().run(deadRun).orElseThrow();
            assertThat(run.outcome()).isEqualTo("abandoned");
            assertThat(run.finishedAt()).isNotNull();
            assertThat(agent.ci().results().recentRuns(10)).noneMatch(r -> r.outcome().equals("running"));
        }
        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(roots).doesNotExist();
        assertThat(deadScratch).doesNotExist();
        assertThat(liveScratch).as("a live process's scratch may be in use").exists();
    }

    /** A runner that throws {@code StackOverflowError} for the first command {@code when} matches. */
    private CommandRunner overflowingAt(java.util.function.Predicate<Command> when, Runnable before) {
        return new CommandRunner() {
            @Override
            public CommandResult run(Command command, Cancellation cancellation) {
                if (when.test(command)) {
                    before.run();
                    throw new StackOverflowError();
                }
                return super.run(command, cancellation);
            }
        };
    }

    private CycleReport cycleWith(CommandRunner runner, java.util.function.Consumer<Agent> then) {
        try (Agent agent = Agent.open(fixture.load(Map.of()).settings(), Map.of(), runner, Clock.systemUTC())) {
            CycleReport report = agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
            then.accept(agent);
            return report;
        }
    }

    @Test
    void aCycleDyingOnAnErrorIsRecordedAsFailedInTheStageItDiedIn() {
        String[] stageWhileRunning = new String[1];
        CommandRunner runner = overflowingAt(c -> c.argv().get(0).endsWith("nix-env") && c.argv().contains("--set"), () -> {
            // what a SIGKILL at this point would leave: the row says where the cycle was
            try (StateStore store = StateStore.open(fixture.stateDir())) {
                stageWhileRunning[0] = store.recentCycles(1).get(0).stage();
            }
        });
        CycleReport report = cycleWith(runner, agent -> {
            CycleRecord stored = agent.store().recentCycles(1).get(0);
            assertThat(stored.outcome()).isEqualTo(CycleOutcome.FAILED);
            assertThat(stored.finishedAt()).isNotNull();
            assertThat(stored.stage()).isEqualTo("deploy");
            assertThat(stored.error()).contains("stack overflowed");
        });

        assertThat(stageWhileRunning[0]).isEqualTo("deploy");
        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.stage()).isEqualTo(Stage.DEPLOY);
        assertThat(report.summary()).contains("internal error in deploy", "stack overflowed")
                .doesNotContain("StackOverflowError", "\n");
    }

    @Test
    @Timeout(600)
    void anErrorInTheEvaluationThreadFailsTheBuildInsteadOfHangingIt() throws IOException {
        CommandRunner runner = overflowingAt(c -> c.argv().contains("eval")
                || c.argv().get(0).endsWith("nix-eval-jobs"), () -> { });
        CycleReport report = cycleWith(runner, agent ->
                assertThat(agent.ci().results().recentRuns(10)).noneMatch(r -> r.outcome().equals("running")));

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.stage()).isEqualTo(Stage.BUILD);
        assertThat(Files.readString(report.log())).contains("evaluation failed: the stack overflowed")
                .doesNotContain("StackOverflowError");
    }

    /**
     * A poll that finds the branch unchanged writes little; what it has written when it is killed in its source stage
     * (the ls-remote hangs, systemd stops it) must still name it running there with its log, so the next cycle closes it.
     */
    @Test
    void aNoOpCycleKilledInItsSourceStageIsClosedByTheNextCycleWithItsStageAndLog() throws Exception {
        assertThat(cycleWith(new RecordingCommandRunner(), agent -> { }).outcome()).isEqualTo(CycleOutcome.DEPLOYED);
        Path state = fixture.stateDir();
        Path killed = Files.createDirectories(tmp.resolve("killed"));
        long[] killedCycle = new long[1];
        CycleObserver killHere = new CycleObserver() {
            @Override
            public void stageEntered(long cycleId, String commit, String stage) {
                if (stage.equals("source")) {
                    // the files a SIGKILL here leaves: sqlite's database and its write-ahead log as they are now
                    killedCycle[0] = cycleId;
                    copy(state, killed, "state.db", "state.db-wal");
                }
            }
        };
        try (Agent agent = Agent.open(fixture.load(Map.of()).settings(), Map.of(), new RecordingCommandRunner(),
                Clock.systemUTC(), List.of(killHere))) {
            assertThat(agent.reconciler().run(CycleRequest.of(Trigger.SCHEDULE), Cancellation.none()).outcome())
                    .isEqualTo(CycleOutcome.UNCHANGED);
        }
        Files.deleteIfExists(state.resolve("state.db-shm"));
        copy(killed, state, "state.db", "state.db-wal");

        CycleReport next = cycleWith(new RecordingCommandRunner(), agent -> {
            CycleRecord dead = agent.store().cycle(killedCycle[0]).orElseThrow();
            assertThat(dead.outcome()).isEqualTo(CycleOutcome.ABANDONED);
            assertThat(dead.stage()).isEqualTo("source");
            assertThat(dead.finishedAt()).isNotNull();
            assertThat(dead.logPath()).isEqualTo(fixture.load(Map.of()).settings().logDir()
                    .resolve("cycle-" + killedCycle[0] + ".log").toString());
            assertThat(agent.store().recentCycles(10)).noneMatch(c -> c.outcome() == CycleOutcome.RUNNING);
            assertThat(agent.store().owedNotices()).isEmpty();
            CycleRecord last = agent.store().recentCycles(1).get(0);
            assertThat(last.outcome()).isEqualTo(CycleOutcome.UNCHANGED);
            assertThat(last.logPath()).endsWith("cycle-" + last.id() + ".log");
            assertThat(new CycleHistory(agent.store()).stages(last.id())).extracting(StageEntry::stage)
                    .containsExactly("source");
        });
        assertThat(next.outcome()).as(next.summary()).isEqualTo(CycleOutcome.UNCHANGED);
    }

    /** Every cycle takes the lock and closes what dead processes left before it records itself: its duration counts them. */
    @Test
    void aCyclesRecordedDurationCoversTakingTheLockAndClosingWhatADeadProcessLeft() throws Exception {
        long deadCycle;
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            deadCycle = store.startCycle("manual", "main", Instant.parse("2024-01-01T00:00:00Z"));
        }
        // a clock that moves on each time it is read: the order of the readings is what the record shows
        Clock ticking = MutableClock.ticking(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(1));
        try (Agent agent = Agent.open(fixture.load(Map.of()).settings(), Map.of(), new RecordingCommandRunner(), ticking)) {
            CycleReport report = agent.reconciler().run(CycleRequest.of(Trigger.SCHEDULE), Cancellation.none());
            CycleRecord closed = agent.store().cycle(deadCycle).orElseThrow();
            CycleRecord cycle = agent.store().cycle(report.cycleId()).orElseThrow();
            assertThat(closed.outcome()).isEqualTo(CycleOutcome.ABANDONED);
            assertThat(cycle.startedAt()).as("the cycle started before it closed the dead one")
                    .isBefore(closed.finishedAt());
            assertThat(cycle.finishedAt()).isAfter(closed.finishedAt());
        }
    }

    private static void copy(Path from, Path to, String... names) {
        try {
            for (String name : names) {
                Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aStoredCycleStageSurvivesReopeningTheStore() throws IOException {
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            long id = store.startCycle("manual", "main", Instant.now());
            store.setCycleStage(id, "deploy");
        }
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            assertThat(store.abandonRunningCycles(Instant.now())).singleElement()
                    .satisfies(c -> assertThat(c.stage()).isEqualTo("deploy"));
        }
    }
}
