package org.gitopssync.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The finished cycles past their retention ({@code [history]}), and their removal. Never removed: a cycle still
 * running, one whose observers are owed a notice, one that recorded an activation (the deployment history), and the
 * newest cycle of each outcome (what {@code status} and the metrics' "last success" read). The caller removes a
 * cycle's log file before its row, so a process killed in between leaves rows the next pass removes, never a file
 * nothing points at.
 */
public final class CycleRetention {

    /** A cycle past its retention, with the log file it kept. */
    public record Expired(long id, Optional<Path> log) {
    }

    private static final String QUIET = "('" + CycleOutcome.UNCHANGED.word() + "', '" + CycleOutcome.WAITING.word()
            + "')";

    private final StateStore store;

    public CycleRetention(StateStore store) {
        this.store = store;
    }

    /**
     * The oldest finished cycles, at most {@code limit}, that started before {@code keepAfter}, or before
     * {@code quietKeepAfter} when they found nothing to do (unchanged, or waiting for a wave or a release).
     */
    public List<Expired> expired(Instant keepAfter, Instant quietKeepAfter, int limit) {
        Instant latest = keepAfter.isAfter(quietKeepAfter) ? keepAfter : quietKeepAfter;
        return store.inTransaction(c -> {
            String newest = StateStore.idList(newestOfEachOutcome(c));
            try (PreparedStatement ps = c.prepareStatement("SELECT id, log_path FROM cycles c WHERE started_at < ?"
                    + " AND finished_at IS NOT NULL AND (started_at < ? OR (outcome IN " + QUIET + " AND started_at < ?))"
                    + " AND NOT EXISTS (SELECT 1 FROM deployments d WHERE d.cycle_id = c.id)"
                    + " AND NOT EXISTS (SELECT 1 FROM observers_owed o WHERE o.cycle_id = c.id)"
                    + " AND id NOT IN " + newest + " ORDER BY id LIMIT ?")) {
                ps.setString(1, latest.toString());
                ps.setString(2, keepAfter.toString());
                ps.setString(3, quietKeepAfter.toString());
                ps.setInt(4, limit);
                List<Expired> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Expired(rs.getLong("id"), Optional.ofNullable(rs.getString("log_path")).map(Path::of)));
                    }
                }
                return out;
            }
        });
    }

    /** One lookup per outcome in {@code cycles_outcome}: a scan of the whole table would cost each batch. */
    private static List<Long> newestOfEachOutcome(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>(List.of(0L));
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM cycles WHERE outcome = ?")) {
            for (CycleOutcome o : CycleOutcome.values()) {
                ps.setString(1, o.word());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getObject(1) != null) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
        }
        return ids;
    }

    /**
     * Removes these cycles and their stage times in one transaction, adding them to the pruned tallies so the counts
     * of cycles per outcome never go down.
     */
    public void remove(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        String in = StateStore.idList(ids);
        store.updateAll("INSERT INTO cycles_pruned(trigger, outcome, count) SELECT trigger, outcome, COUNT(*)"
                + " FROM cycles WHERE id IN " + in + " AND finished_at IS NOT NULL GROUP BY trigger, outcome"
                + " ON CONFLICT(trigger, outcome) DO UPDATE SET count = count + excluded.count",
                "DELETE FROM cycle_stages WHERE cycle_id IN " + in,
                "DELETE FROM cycles WHERE id IN " + in + " AND finished_at IS NOT NULL");
    }
}
