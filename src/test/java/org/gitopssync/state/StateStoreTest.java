package org.gitopssync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state database on real SQLite: migrations from every older schema, and what the agent stores. */
class StateStoreTest {

    @TempDir
    Path stateDir;

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private Connection raw() throws Exception {
        Files.createDirectories(stateDir);
        return DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve("state.db"));
    }

    /** A database as a gitops-sync with schema {@code version} left it. */
    private void schemaAt(int version) throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            for (int v = 0; v < version; v++) {
                for (String sql : Migrations.STEPS.get(v)) {
                    s.execute(sql);
                }
            }
            s.execute("INSERT INTO schema_version(version) VALUES (" + version + ")");
            if (version >= 1) {
                s.execute("INSERT INTO cycles(trigger, started_at, branch, outcome, stage) VALUES"
                        + " ('manual', '" + T0 + "', 'main', 'deployed', 'deploy')");
                s.execute("INSERT INTO deployments(cycle_id, commit_sha, operation, method, out_path, status, started_at)"
                        + " VALUES (1, 'abc123', 'switch', 'profile', '/nix/store/x', 'succeeded', '" + T0 + "')");
                s.execute("INSERT INTO source_marks(name, commit_sha, updated_at) VALUES ('last-seen', 'abc123', '"
                        + T0 + "')");
            }
        }
    }

    private int version() throws Exception {
        try (Connection c = raw(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void everyOlderSchemaIsMigratedToTheCurrentOneKeepingItsRows() throws Exception {
        for (int from = 0; from < Migrations.STEPS.size(); from++) {
            for (Path p : List.of(stateDir.resolve("state.db"), stateDir.resolve("state.db-wal"),
                    stateDir.resolve("state.db-shm"))) {
                Files.deleteIfExists(p);
            }
            schemaAt(from);

            try (StateStore store = StateStore.open(stateDir)) {
                if (from >= 1) {
                    assertThat(store.cycle(1)).as("from version " + from).get()
                            .extracting(CycleRecord::outcome).isEqualTo(CycleOutcome.DEPLOYED);
                    assertThat(store.lastSuccessfulDeployment()).get().extracting(DeploymentRecord::commit)
                            .isEqualTo("abc123");
                    assertThat(store.mark(SourceMark.LAST_SEEN)).get().extracting(SourceMark::commit)
                            .isEqualTo("abc123");
                }
                // every table of the current schema is usable
                long id = store.startCycle("webhook", "main", T0);
                store.setCycleStage(id, "build");
                assertThat(store.cycle(id)).get().extracting(CycleRecord::stage).isEqualTo("build");
            }
            assertThat(version()).as("from version " + from).isEqualTo(Migrations.STEPS.size());
        }
    }

    @Test
    void aSchemaNewerThanThisProgramIsRefusedWithAnActionableMessage() throws Exception {
        schemaAt(Migrations.STEPS.size());
        try (Connection c = raw(); Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = " + (Migrations.STEPS.size() + 1));
        }

        assertThatThrownBy(() -> StateStore.open(stateDir))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("is newer than this gitops-sync understands")
                .hasMessageContaining("upgrade gitops-sync");
    }

    @Test
    void theDatabaseIsReadableByItsOwnerOnly() throws Exception {
        try (StateStore store = StateStore.open(stateDir.resolve("fresh"))) {
            store.startCycle("manual", "main", T0);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir.resolve("fresh/state.db"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir.resolve("fresh"))))
                .isEqualTo("rwx------");
    }

    @Test
    void aCycleIsRecordedFromStartToFinishAndAbandonedOnesAreClosedWithTheirStage() {
        try (StateStore store = StateStore.open(stateDir)) {
            long done = store.startCycle("schedule", "main", T0);
            store.setCycleCommit(done, "abc123");
            store.finishCycle(done, CycleOutcome.UP_TO_DATE, "deploy", null, T0.plusSeconds(5));
            long dead = store.startCycle("webhook", "main", T0.plusSeconds(10));
            store.setCycleStage(dead, "cache");

            List<CycleRecord> closed = store.abandonRunningCycles(T0.plusSeconds(60));

            assertThat(closed).extracting(CycleRecord::id).containsExactly(dead);
            CycleRecord r = store.cycle(dead).orElseThrow();
            assertThat(r.outcome()).isEqualTo(CycleOutcome.ABANDONED);
            assertThat(r.stage()).isEqualTo("cache");
            assertThat(r.finishedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(r.error()).contains("stopped during cache");
            assertThat(store.cycle(done).orElseThrow().outcome()).isEqualTo(CycleOutcome.UP_TO_DATE);
            assertThat(store.abandonRunningCycles(T0.plusSeconds(61))).isEmpty();
        }
    }

    @Test
    void marksAreSetReplacedAndCleared() {
        try (StateStore store = StateStore.open(stateDir)) {
            store.setMark(SourceMark.TRUSTED_BASE, "aaa", "accepted by reset", T0);
            store.setMark(SourceMark.TRUSTED_BASE, "bbb", null, T0.plusSeconds(1));
            assertThat(store.mark(SourceMark.TRUSTED_BASE)).get().extracting(SourceMark::commit).isEqualTo("bbb");
            store.clearMark(SourceMark.TRUSTED_BASE);
            assertThat(store.mark(SourceMark.TRUSTED_BASE)).isEmpty();
        }
    }

    @Test
    void theLookForCyclesLeftRunningReadsAnIndexWhichLeavesTheSchemaAsOlderAgentsReadIt() throws Exception {
        schemaAt(Migrations.STEPS.size());
        try (StateStore store = StateStore.open(stateDir)) {
            store.abandonRunningCycles(T0);
        }
        try (Connection c = raw(); Statement s = c.createStatement()) {
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + StateStore.RUNNING_CYCLES)) {
                while (rs.next()) {
                    plan.append(rs.getString("detail")).append('\n');
                }
            }
            assertThat(plan.toString()).contains("SEARCH cycles USING INDEX cycles_outcome (outcome=?)")
                    .doesNotContain("SCAN cycles\n");
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                rs.next();
                // an older agent refuses a newer version: the index must not take the database there
                assertThat(rs.getInt(1)).isEqualTo(Migrations.STEPS.size());
            }
        }
    }
}
