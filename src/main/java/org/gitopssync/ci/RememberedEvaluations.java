package org.gitopssync.ci;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.gitopssync.state.StateStore;
import org.jboss.logging.Logger;

/**
 * Evaluations the CI engine stored in the state database, by {@link EvaluationKey}, so that
 * the same commit is not evaluated twice. An entry is written in one transaction with the count
 * of its attributes; one that does not read back whole, or names something that is not a store
 * path, is dropped and never used. Only the {@link #KEEP} most recently used entries are kept.
 */
final class RememberedEvaluations {

    private static final Logger LOG = Logger.getLogger(RememberedEvaluations.class);
    /** Entries kept: a few branches' and pull requests' recent commits. */
    static final int KEEP = 32;
    private static final Pattern STORE_PATH = Pattern.compile("/(?:[^/\\s]+/)+[0-9a-df-np-sv-z]{32}-[A-Za-z0-9+._?=-]+");
    private static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z0-9+._-]+");

    private final StateStore store;

    RememberedEvaluations(StateStore store) {
        this.store = store;
    }

    /** The evaluation stored under {@code key}, marked as used now; empty when there is none or it is not whole. */
    Optional<RememberedEvaluation> recall(EvaluationKey key, Instant now) {
        String id = key.id();
        Optional<RememberedEvaluation> found = store.inTransaction(c -> {
            String commit;
            long runId;
            int count;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT commit_sha, run_id, attributes FROM ci_evaluations WHERE key = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    commit = rs.getString(1);
                    runId = rs.getLong(2);
                    count = rs.getInt(3);
                }
            }
            List<EvaluatedAttribute> attributes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT attribute, kind, name, drv_path, outputs"
                    + " FROM ci_evaluation_attributes WHERE key = ? ORDER BY rowid")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        EvaluatedAttribute a = parse(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getString(5));
                        if (a == null) {
                            return Optional.<RememberedEvaluation>empty();
                        }
                        attributes.add(a);
                    }
                }
            }
            if (attributes.size() != count || !commit.equals(key.commit())) {
                return Optional.<RememberedEvaluation>empty();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE ci_evaluations SET used_at = ? WHERE key = ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, id);
                ps.executeUpdate();
            }
            return Optional.of(new RememberedEvaluation(commit, runId, attributes));
        });
        if (found.isEmpty() && exists(id)) {
            LOG.warnf("the stored evaluation of %s is not whole or not understood; it is dropped and the commit"
                    + " is evaluated again", key);
            forget(key);
        }
        return found;
    }

    /** Stores a whole evaluation under {@code key}, replacing any, and drops the least recently used beyond {@link #KEEP}. */
    void remember(EvaluationKey key, long runId, List<EvaluatedAttribute> attributes, Instant now) {
        String id = key.id();
        store.inTransaction(c -> {
            delete(c, id);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ci_evaluations(key, commit_sha, run_id,"
                    + " attributes, created_at, used_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, key.commit());
                ps.setLong(3, runId);
                ps.setInt(4, attributes.size());
                ps.setString(5, now.toString());
                ps.setLong(6, now.toEpochMilli());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ci_evaluation_attributes(key, attribute, kind,"
                    + " name, drv_path, outputs) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (EvaluatedAttribute a : attributes) {
                    ps.setString(1, id);
                    ps.setString(2, a.target().attribute());
                    ps.setString(3, a.target().kind().name());
                    ps.setString(4, a.target().name());
                    ps.setString(5, a.drvPath());
                    ps.setString(6, outputs(a.outputs()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            List<String> old = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT key FROM ci_evaluations ORDER BY used_at DESC, rowid DESC LIMIT -1 OFFSET ?")) {
                ps.setInt(1, KEEP);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        old.add(rs.getString(1));
                    }
                }
            }
            for (String k : old) {
                delete(c, k);
            }
            return null;
        });
    }

    /** Drops the entry under {@code key} (its derivations were garbage-collected, or it is not whole). */
    void forget(EvaluationKey key) {
        store.inTransaction(c -> {
            delete(c, key.id());
            return null;
        });
    }

    /** How many entries are stored. */
    int size() {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ci_evaluations");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    private boolean exists(String id) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ci_evaluations WHERE key = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private static void delete(Connection c, String id) throws SQLException {
        for (String table : List.of("ci_evaluation_attributes", "ci_evaluations")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE key = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        }
    }

    /** One stored row as an attribute, or null when any part of it is not what the engine writes. */
    private static EvaluatedAttribute parse(String attribute, String kind, String name, String drvPath, String outputs) {
        CiTarget.Kind k;
        try {
            k = CiTarget.Kind.valueOf(kind);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
        CiTarget target = switch (k) {
            case SYSTEM -> CiTarget.system(name);
            case CHECK, SET -> new CiTarget(k, name, attribute);
        };
        if (k == CiTarget.Kind.SET || !target.attribute().equals(attribute)
                || k == CiTarget.Kind.CHECK && !attribute.endsWith("." + name)
                || drvPath == null
                || !drvPath.endsWith(".drv") || !STORE_PATH.matcher(drvPath).matches() || outputs == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : outputs.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || !OUTPUT_NAME.matcher(line.substring(0, eq)).matches()
                    || !STORE_PATH.matcher(line.substring(eq + 1)).matches()) {
                return null;
            }
            out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out.isEmpty() ? null : new EvaluatedAttribute(target, drvPath, out);
    }

    private static String outputs(Map<String, String> outputs) {
        StringBuilder b = new StringBuilder();
        outputs.forEach((k, v) -> b.append(b.length() == 0 ? "" : "\n").append(k).append('=').append(v));
        return b.toString();
    }
}
