package org.gitopssync.state;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the status page reads about cycles beyond their outcome: each one's commit subject and stage timeline. */
public final class CycleHistory {

    private final StateStore store;

    public CycleHistory(StateStore store) {
        this.store = store;
    }

    /** The commit a cycle targeted, if it got that far. */
    public Optional<CycleCommit> commit(long cycleId) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT commit_sha, commit_subject, commit_author FROM cycles WHERE id = ? AND commit_sha IS NOT NULL")) {
                ps.setLong(1, cycleId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new CycleCommit(rs.getString(1), rs.getString(2), rs.getString(3)))
                            : Optional.<CycleCommit>empty();
                }
            }
        });
    }

    /** The commits of the cycles with ids from {@code first} to {@code last}, by cycle id; one query. */
    public Map<Long, CycleCommit> commitsFrom(long first, long last) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, commit_sha, commit_subject, commit_author"
                    + " FROM cycles WHERE id BETWEEN ? AND ? AND commit_sha IS NOT NULL")) {
                ps.setLong(1, first);
                ps.setLong(2, last);
                Map<Long, CycleCommit> out = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), new CycleCommit(rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
                return out;
            }
        });
    }

    /** The stages a cycle entered, in order. */
    public List<StageEntry> stages(long cycleId) {
        return stagesFrom(cycleId, cycleId).getOrDefault(cycleId, List.of());
    }

    /**
     * The stage timelines of the cycles with ids from {@code first} to {@code last}, by cycle id; one query. In
     * insertion order: the stored times do not all have the same number of digits, so they do not sort as text.
     */
    public Map<Long, List<StageEntry>> stagesFrom(long first, long last) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT cycle_id, stage, entered_at FROM cycle_stages"
                    + " WHERE cycle_id BETWEEN ? AND ? ORDER BY cycle_id, rowid")) {
                ps.setLong(1, first);
                ps.setLong(2, last);
                Map<Long, List<StageEntry>> out = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                .add(new StageEntry(rs.getString(2), Instant.parse(rs.getString(3))));
                    }
                }
                return out;
            }
        });
    }
}
