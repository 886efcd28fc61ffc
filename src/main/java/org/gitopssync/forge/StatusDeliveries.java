package org.gitopssync.forge;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gitopssync.state.StateStore;

/** What the state database knows about status deliveries of every process: results so far, and what still waits. */
public final class StatusDeliveries {

    /** {@code count} statuses to {@code forge} (lower case) ended with {@code result}. */
    public record Tally(String forge, String result, long count) {
    }

    private final StateStore store;

    public StatusDeliveries(StateStore store) {
        this.store = store;
    }

    /** Every (forge, result) seen so far, with its count. */
    public List<Tally> tallies() {
        return store.inTransaction(c -> {
            List<Tally> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT forge, result, count FROM status_results ORDER BY forge, result");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Tally(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    /** Statuses written to the outbox and not yet accepted or refused, all forges together. */
    public long waiting() {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM status_outbox");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }
}
