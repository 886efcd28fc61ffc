package org.gitopssync.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.sqlite.JDBC;

/**
 * The agent's memory: cycles, deployments and source marks in SQLite (WAL) under the state
 * directory. Every write is one small transaction, so a crash leaves a consistent store.
 */
public final class StateStore implements AutoCloseable {

    private final Path file;
    private final Connection connection;

    private StateStore(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens (creating and migrating as needed) {@code state.db} in the state directory. */
    public static StateStore open(Path stateDir) {
        Path file = stateDir.resolve("state.db");
        try {
            if (!Files.isDirectory(stateDir)) {
                Files.createDirectories(stateDir);
                trySetMode(stateDir, "rwx------");
            }
            // sqlite-jdbc's driver directly: DriverManager would first look through every jar for other drivers
            Connection c = JDBC.createConnection(JDBC.PREFIX + file, new Properties());
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute("PRAGMA synchronous=NORMAL");
                    s.execute("PRAGMA busy_timeout=10000");
                    s.execute("PRAGMA foreign_keys=ON");
                }
                Migrations.apply(c);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            trySetMode(file, "rw-------");
            return new StateStore(file, c);
        } catch (SQLException | IOException e) {
            throw new StateException("cannot open state database " + file + ": " + e.getMessage(), e);
        }
    }

    private static void trySetMode(Path p, String mode) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (Exception ignored) {
            // not a POSIX file system; nothing stronger to do
        }
    }

    /** Records a cycle as running and returns its id. */
    public synchronized long startCycle(String trigger, String branch, Instant startedAt) {
        return insertCycle(trigger, branch, startedAt);
    }

    /**
     * Records a cycle as running with its log file ({@code logOf} its id), in one transaction: a poll pays one commit
     * to say it runs.
     */
    public synchronized long startCycle(String trigger, String branch, Instant startedAt, LongFunction<Path> logOf) {
        return inTransaction(c -> {
            long id = insertCycle(trigger, branch, startedAt);
            setCycleLog(id, logOf.apply(id));
            return id;
        });
    }

    private long insertCycle(String trigger, String branch, Instant startedAt) {
        return run(c -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO cycles(trigger, started_at, branch, outcome) VALUES (?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, trigger);
                ps.setString(2, startedAt.toString());
                ps.setString(3, branch);
                ps.setString(4, CycleOutcome.RUNNING.word());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    public synchronized void setCycleLog(long id, Path log) {
        update("UPDATE cycles SET log_path = ? WHERE id = ?", log.toString(), id);
    }

    public synchronized void setCycleCommit(long id, String commit) {
        update("UPDATE cycles SET commit_sha = ? WHERE id = ?", commit, id);
    }

    /** The commit a cycle targets with its subject and author, which the status page shows. */
    public synchronized void setCycleCommit(long id, String commit, String subject, String author) {
        update("UPDATE cycles SET commit_sha = ?, commit_subject = ?, commit_author = ? WHERE id = ?", commit, subject,
                author, id);
    }

    /**
     * Records the stage a cycle enters, so a cycle whose process dies is closed with the stage it died in, and
     * when it entered it (the status page's timeline).
     */
    public synchronized void setCycleStage(long id, String stage) {
        inTransaction(c -> {
            update("UPDATE cycles SET stage = ? WHERE id = ?", stage, id);
            update("INSERT INTO cycle_stages(cycle_id, stage, entered_at) VALUES (?, ?, ?)", id, stage,
                    Instant.now().toString());
            return null;
        });
    }

    /** Closes a cycle with its outcome, the stage it ended in, and the error if it failed. */
    public synchronized void finishCycle(long id, CycleOutcome outcome, String stage, String error, Instant finishedAt) {
        update("UPDATE cycles SET outcome = ?, stage = ?, error = ?, finished_at = ? WHERE id = ?",
                outcome.word(), stage, error, finishedAt.toString(), id);
    }

    /**
     * Closes a cycle as {@link #finishCycle(long, CycleOutcome, String, String, Instant)} does and, in the same
     * transaction, records {@code notice} (what its observers must hear) as owed until {@link #settleNotice}: a
     * process killed between the two finds it in {@link #owedNotices()}. A null notice owes nothing.
     */
    public synchronized void finishCycle(long id, CycleOutcome outcome, String stage, String error, Instant finishedAt,
            String notice) {
        inTransaction(c -> {
            finishCycle(id, outcome, stage, error, finishedAt);
            if (notice != null) {
                update("INSERT OR REPLACE INTO observers_owed(cycle_id, notice) VALUES (?, ?)", id, notice);
            }
            return null;
        });
    }

    /** The notices of finished cycles whose observers were not all told, oldest cycle first. */
    public synchronized Map<Long, String> owedNotices() {
        return run(c -> {
            try (PreparedStatement ps = prepare("SELECT cycle_id, notice FROM observers_owed ORDER BY cycle_id");
                    ResultSet rs = ps.executeQuery()) {
                Map<Long, String> out = new LinkedHashMap<>();
                while (rs.next()) {
                    out.put(rs.getLong("cycle_id"), rs.getString("notice"));
                }
                return out;
            }
        });
    }

    /** The cycle's observers have all been told: nothing is owed for it any more. */
    public synchronized void settleNotice(long id) {
        update("DELETE FROM observers_owed WHERE cycle_id = ?", id);
    }

    public synchronized Optional<CycleRecord> cycle(long id) {
        List<CycleRecord> l = cycles("SELECT * FROM cycles WHERE id = ?", id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** The most recent cycles, newest first. */
    public synchronized List<CycleRecord> recentCycles(int limit) {
        return cycles("SELECT * FROM cycles ORDER BY id DESC LIMIT ?", limit);
    }

    /** Stores an activation attempt and returns its id. */
    public synchronized long recordDeployment(DeploymentRecord d) {
        return run(c -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO deployments(cycle_id, commit_sha, operation, method, out_path, generation, status,"
                            + " error, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, d.cycleId());
                ps.setString(2, d.commit());
                ps.setString(3, d.operation());
                ps.setString(4, d.method());
                ps.setString(5, d.outPath());
                if (d.generation() == null) {
                    ps.setNull(6, Types.INTEGER);
                } else {
                    ps.setInt(6, d.generation());
                }
                ps.setString(7, d.status().word());
                ps.setString(8, d.error());
                ps.setString(9, d.startedAt().toString());
                ps.setString(10, d.finishedAt() == null ? null : d.finishedAt().toString());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /** The newest successful activation, which the next target must descend from. */
    public synchronized Optional<DeploymentRecord> lastSuccessfulDeployment() {
        List<DeploymentRecord> l = deployments(
                "SELECT * FROM deployments WHERE status = 'succeeded' AND operation IN ('switch', 'boot', 'test')"
                        + " ORDER BY id DESC LIMIT 1");
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /**
     * How many finished cycles ended each way, per trigger, those {@link CycleRetention} removed included (the metrics'
     * cycle counters survive restarts and never go down).
     */
    public synchronized List<CycleTally> cycleTallies() {
        return run(c -> {
            try (PreparedStatement ps = prepare("SELECT trigger, outcome, SUM(n) AS n FROM ("
                    + "SELECT trigger, outcome, COUNT(*) AS n FROM cycles WHERE finished_at IS NOT NULL"
                    + " GROUP BY trigger, outcome UNION ALL SELECT trigger, outcome, count AS n FROM cycles_pruned)"
                    + " GROUP BY trigger, outcome ORDER BY trigger, outcome");
                    ResultSet rs = ps.executeQuery()) {
                List<CycleTally> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new CycleTally(rs.getString("trigger"), CycleOutcome.fromWord(rs.getString("outcome")),
                            rs.getLong("n")));
                }
                return out;
            }
        });
    }

    /** The newest finished cycle that ended one of these ways. */
    public synchronized Optional<CycleRecord> lastFinishedCycle(Set<CycleOutcome> outcomes) {
        String in = String.join(", ", outcomes.stream().map(o -> "'" + o.word() + "'").toList());
        List<CycleRecord> l = cycles("SELECT * FROM cycles WHERE finished_at IS NOT NULL AND outcome IN (" + in + ")"
                + " ORDER BY id DESC LIMIT 1");
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** How many activations ended with this status. */
    public synchronized long countDeployments(DeploymentRecord.Status status) {
        return run(c -> {
            try (PreparedStatement ps = prepare("SELECT COUNT(*) FROM deployments WHERE status = ?", status.word());
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    public synchronized List<DeploymentRecord> recentDeployments(int limit) {
        return deployments("SELECT * FROM deployments ORDER BY id DESC LIMIT ?", limit);
    }

    public synchronized Optional<SourceMark> mark(String name) {
        return run(c -> {
            try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM source_marks WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new SourceMark(rs.getString("name"), rs.getString("commit_sha"),
                            Instant.parse(rs.getString("updated_at")), rs.getString("note")));
                }
            }
        });
    }

    public synchronized void setMark(String name, String commit, String note, Instant at) {
        update("INSERT INTO source_marks(name, commit_sha, updated_at, note) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT(name) DO UPDATE SET commit_sha = excluded.commit_sha,"
                + " updated_at = excluded.updated_at, note = excluded.note", name, commit, at.toString(), note);
    }

    public synchronized void clearMark(String name) {
        update("DELETE FROM source_marks WHERE name = ?", name);
    }

    /** Every cycle runs this; it reads the index {@code cycles_outcome} (see {@link Migrations#UNNUMBERED}). */
    static final String RUNNING_CYCLES = "SELECT * FROM cycles WHERE outcome = 'running' ORDER BY id";

    /**
     * Closes cycles left RUNNING by a process that died as {@code abandoned}, keeping the stage they
     * died in; returns them as closed. Called under the cycle lock, so no live cycle is running.
     */
    public synchronized List<CycleRecord> abandonRunningCycles(Instant at) {
        List<CycleRecord> dead = cycles(RUNNING_CYCLES);
        for (CycleRecord r : dead) {
            String stage = r.stage() == null ? "lock" : r.stage();
            update("UPDATE cycles SET outcome = ?, stage = ?, error = ?, finished_at = ? WHERE id = ?",
                    CycleOutcome.ABANDONED.word(), stage, "the agent stopped during " + stage
                            + " (killed or crashed); the next cycle started over", at.toString(), r.id());
        }
        return dead.stream().map(r -> cycle(r.id()).orElseThrow()).toList();
    }

    /** {@code ids} as an SQL list, {@code (1, 2, 3)}, for {@code IN}: numbers only, so nothing to escape. */
    public static String idList(Collection<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
    }

    /** Runs one reading statement outside a transaction; for the lookups of later stages that every cycle makes. */
    public synchronized <T> T read(SqlWork<T> work) {
        return run(work);
    }

    /** Runs these updates in order, in one transaction: all of them or none. */
    public synchronized void updateAll(String... statements) {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.executeUpdate(sql);
                }
            }
            return null;
        });
    }

    /** Runs statements in one transaction; for stores of later stages sharing this database. */
    public synchronized <T> T inTransaction(SqlWork<T> work) {
        return run(c -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    /** A unit of SQL work against the store's connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private List<CycleRecord> cycles(String sql, Object... args) {
        return run(c -> {
            try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
                List<CycleRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new CycleRecord(rs.getLong("id"), rs.getString("trigger"),
                            Instant.parse(rs.getString("started_at")), instant(rs.getString("finished_at")),
                            rs.getString("branch"), rs.getString("commit_sha"),
                            CycleOutcome.fromWord(rs.getString("outcome")), rs.getString("stage"),
                            rs.getString("error"), rs.getString("log_path")));
                }
                return out;
            }
        });
    }

    private List<DeploymentRecord> deployments(String sql, Object... args) {
        return run(c -> {
            try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
                List<DeploymentRecord> out = new ArrayList<>();
                while (rs.next()) {
                    int gen = rs.getInt("generation");
                    Integer generation = rs.wasNull() ? null : gen;
                    out.add(new DeploymentRecord(rs.getLong("id"), rs.getLong("cycle_id"), rs.getString("commit_sha"),
                            rs.getString("operation"), rs.getString("method"), rs.getString("out_path"), generation,
                            DeploymentRecord.Status.fromWord(rs.getString("status")), rs.getString("error"),
                            Instant.parse(rs.getString("started_at")), instant(rs.getString("finished_at"))));
                }
                return out;
            }
        });
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    private void update(String sql, Object... args) {
        run(c -> {
            try (PreparedStatement ps = prepare(sql, args)) {
                return ps.executeUpdate();
            }
        });
    }

    static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    private <T> T run(SqlWork<T> work) {
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StateException("state database " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing is best effort; WAL keeps the data safe
        }
    }
}
