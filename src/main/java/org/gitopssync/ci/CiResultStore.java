package org.gitopssync.ci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gitopssync.state.ProcessOwner;
import org.gitopssync.state.StateStore;

/** CI runs, their per-attribute results and the failed-derivation cache, in the agent's state database. */
public final class CiResultStore {

    /** Created on first use: opening the store (every one-shot command does) should not start Jackson. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final StateStore store;

    public CiResultStore(StateStore store) {
        this.store = store;
    }

    /** The evaluations remembered in the same database. */
    RememberedEvaluations evaluations() {
        return new RememberedEvaluations(store);
    }

    /** Records a run as running and returns its id. */
    public long startRun(String branch, String commit, String flakeRef, Instant startedAt) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ci_runs(branch, commit_sha, flake_ref,"
                    + " started_at, outcome, owner) VALUES (?, ?, ?, ?, 'running', ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, branch);
                ps.setString(2, commit);
                ps.setString(3, flakeRef);
                ps.setString(4, startedAt.toString());
                ps.setString(5, ProcessOwner.current().toString());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /** Closes a run and stores its results, together. */
    public void finishRun(long id, String outcome, String summary, Instant finishedAt, List<AttributeResult> results) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE ci_runs SET outcome = ?, summary = ?, finished_at = ? WHERE id = ?")) {
                ps.setString(1, outcome);
                ps.setString(2, summary);
                ps.setString(3, finishedAt.toString());
                ps.setLong(4, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO ci_results(run_id, attribute, kind,"
                    + " name, drv_path, outputs, status, duration_ms, log_path, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (AttributeResult r : results) {
                    ps.setLong(1, id);
                    ps.setString(2, r.attribute());
                    ps.setString(3, r.target().kind().name());
                    ps.setString(4, r.target().name());
                    ps.setString(5, r.drvPath());
                    ps.setString(6, json(r.outputs()));
                    ps.setString(7, r.status().word());
                    ps.setLong(8, r.duration().toMillis());
                    ps.setString(9, r.log() == null ? null : r.log().toString());
                    ps.setString(10, r.error());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * Closes as {@code abandoned} the runs left running by a process that no longer runs (killed,
     * crashed); the runs of live processes (a pull request check in the daemon) are left alone.
     * Returns the ids closed.
     */
    public List<Long> abandonRunsOfDeadProcesses(Instant at) {
        if (!anyRunning()) {
            // what every cycle finds: one look in the index, no transaction
            return List.of();
        }
        return store.inTransaction(c -> {
            List<Long> dead = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, owner FROM ci_runs WHERE outcome = 'running'");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!ProcessOwner.parse(rs.getString("owner")).map(ProcessOwner::isAlive).orElse(false)) {
                        dead.add(rs.getLong("id"));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE ci_runs SET outcome = 'abandoned', summary = ?,"
                    + " finished_at = ? WHERE id = ?")) {
                for (long id : dead) {
                    ps.setString(1, "the agent stopped during this run (killed or crashed)");
                    ps.setString(2, at.toString());
                    ps.setLong(3, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return dead;
        });
    }

    /**
     * Finished runs started before {@code keepAfter}, oldest first, at most {@code limit}, that nothing reads any more:
     * not among the newest {@code keepNewest} (they hold the GC roots), not the newest finished run of their branch,
     * not one holding a branch's newest built system of a host (what {@link #latestSystems} gives a pull request's
     * plan), not the run of a cached failure (its log) or of a remembered evaluation.
     */
    public List<Long> expiredRuns(Instant keepAfter, int keepNewest, int limit) {
        return store.inTransaction(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, "SELECT id FROM ci_runs r WHERE started_at < ?"
                    + " AND finished_at IS NOT NULL AND outcome != 'running'"
                    + " AND id NOT IN (SELECT id FROM ci_runs ORDER BY id DESC LIMIT ?)"
                    + " AND id NOT IN (SELECT MAX(id) FROM ci_runs WHERE finished_at IS NOT NULL GROUP BY branch)"
                    + " AND id NOT IN (SELECT MAX(x.run_id) FROM ci_results x JOIN ci_runs u ON u.id = x.run_id"
                    + " WHERE x.kind = 'SYSTEM' AND x.status IN ('built', 'cached') GROUP BY u.branch, x.name)"
                    + " AND NOT EXISTS (SELECT 1 FROM ci_failed_derivations f WHERE f.run_id = r.id)"
                    + " AND NOT EXISTS (SELECT 1 FROM ci_evaluations e WHERE e.run_id = r.id)"
                    + " ORDER BY id LIMIT ?", keepAfter.toString(), keepNewest, limit);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
    }

    /** Removes these runs and their results, in one transaction. */
    public void removeRuns(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        String in = StateStore.idList(ids);
        store.updateAll("DELETE FROM ci_results WHERE run_id IN " + in,
                "DELETE FROM ci_runs WHERE id IN " + in + " AND finished_at IS NOT NULL");
    }

    private boolean anyRunning() {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ci_runs WHERE outcome = 'running' LIMIT 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    /** The ids of every run recorded for a commit, branch and pull request runs alike. */
    public List<Long> runIdsOfCommit(String commit) {
        return store.inTransaction(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM ci_runs WHERE commit_sha = ?")) {
                ps.setString(1, commit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return ids;
        });
    }

    public Optional<CiRunRecord> run(long id) {
        List<CiRunRecord> l = runs("SELECT * FROM ci_runs WHERE id = ?", id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** The newest runs first. */
    public List<CiRunRecord> recentRuns(int limit) {
        return runs("SELECT * FROM ci_runs ORDER BY id DESC LIMIT ?", limit);
    }

    /** A run's per-attribute results (without log tails: read those from the log files). */
    public List<AttributeResult> results(long runId) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM ci_results WHERE run_id = ? ORDER BY attribute")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<AttributeResult> out = new ArrayList<>();
                    while (rs.next()) {
                        CiTarget target = new CiTarget(CiTarget.Kind.valueOf(rs.getString("kind")), rs.getString("name"),
                                rs.getString("attribute"));
                        String log = rs.getString("log_path");
                        out.add(new AttributeResult(target, rs.getString("drv_path"), outputs(rs.getString("outputs")),
                                CiStatus.fromWord(rs.getString("status")), Duration.ofMillis(rs.getLong("duration_ms")),
                                log == null ? null : Path.of(log), rs.getString("error"), List.of()));
                    }
                    return out;
                }
            }
        });
    }

    /**
     * Host to system out path from the newest runs on {@code branch}: the baseline a pull request's
     * systems are compared with. A host missing from newer runs is looked up in older ones.
     */
    public Map<String, String> latestSystems(String branch) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT r.name, r.outputs FROM ci_results r"
                    + " JOIN ci_runs u ON u.id = r.run_id WHERE u.branch = ? AND r.kind = 'SYSTEM'"
                    + " AND r.status IN ('built', 'cached') ORDER BY r.run_id DESC")) {
                ps.setString(1, branch);
                try (ResultSet rs = ps.executeQuery()) {
                    Map<String, String> out = new LinkedHashMap<>();
                    while (rs.next()) {
                        Map<String, String> outputs = outputs(rs.getString("outputs"));
                        String path = outputs.getOrDefault("out", outputs.values().stream().findFirst().orElse(null));
                        if (path != null) {
                            out.putIfAbsent(rs.getString("name"), path);
                        }
                    }
                    return out;
                }
            }
        });
    }

    /** Every remembered failure, by .drv path. */
    public Map<String, CachedFailure> cachedFailures() {
        return store.inTransaction(c -> {
            Map<String, CachedFailure> out = new HashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM ci_failed_derivations")) {
                while (rs.next()) {
                    String log = rs.getString("log_path");
                    out.put(rs.getString("drv_path"), new CachedFailure(rs.getString("drv_path"), rs.getString("attribute"),
                            rs.getString("commit_sha"), rs.getLong("run_id"), CiStatus.fromWord(rs.getString("status")),
                            Instant.parse(rs.getString("failed_at")), log == null ? null : Path.of(log), rs.getString("error")));
                }
            }
            return out;
        });
    }

    public void rememberFailure(CachedFailure f) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO ci_failed_derivations(drv_path,"
                    + " attribute, commit_sha, run_id, status, failed_at, log_path, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, f.drvPath());
                ps.setString(2, f.attribute());
                ps.setString(3, f.commit());
                ps.setLong(4, f.runId());
                ps.setString(5, f.status().word());
                ps.setString(6, f.failedAt().toString());
                ps.setString(7, f.log() == null ? null : f.log().toString());
                ps.setString(8, f.error());
                return ps.executeUpdate();
            }
        });
    }

    public void forgetFailures(Collection<String> drvPaths) {
        if (drvPaths.isEmpty()) {
            return;
        }
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ci_failed_derivations WHERE drv_path = ?")) {
                for (String d : drvPaths) {
                    ps.setString(1, d);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Forgets every remembered failure; returns how many there were. */
    public int clearFailures() {
        return store.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("DELETE FROM ci_failed_derivations");
            }
        });
    }

    private List<CiRunRecord> runs(String sql, Object... args) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
                List<CiRunRecord> out = new ArrayList<>();
                while (rs.next()) {
                    String finished = rs.getString("finished_at");
                    out.add(new CiRunRecord(rs.getLong("id"), rs.getString("branch"), rs.getString("commit_sha"),
                            rs.getString("flake_ref"), Instant.parse(rs.getString("started_at")),
                            finished == null ? null : Instant.parse(finished), rs.getString("outcome"),
                            rs.getString("summary")));
                }
                return out;
            }
        });
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
        return ps;
    }

    /** A JSON object of strings, written by hand: recording a run that only reused work should not start Jackson. */
    static String json(Map<String, String> outputs) {
        StringBuilder b = new StringBuilder("{");
        outputs.forEach((k, v) -> {
            b.append(b.length() == 1 ? "" : ",");
            quote(b, k);
            b.append(':');
            if (v == null) {
                b.append("null");
            } else {
                quote(b, v);
            }
        });
        return b.append('}').toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static Map<String, String> outputs(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
