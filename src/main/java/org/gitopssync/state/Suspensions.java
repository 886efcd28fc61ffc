package org.gitopssync.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Whether deployments are suspended (by {@code suspend} or a drift), and the running system last seen as drift. */
public final class Suspensions {

    private final StateStore store;

    public Suspensions(StateStore store) {
        this.store = store;
    }

    /** The suspension in force, if any. */
    public Optional<Suspension> current() {
        return store.inTransaction(Suspensions::current);
    }

    /** Suspends deployments; replaces an earlier suspension (the newest who and why is what matters). */
    public void suspend(Suspension s) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO suspension(id, suspended_by, since, reason,"
                    + " expected_system, running_system) VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
                    + " suspended_by = excluded.suspended_by, since = excluded.since, reason = excluded.reason,"
                    + " expected_system = excluded.expected_system, running_system = excluded.running_system")) {
                ps.setString(1, s.suspendedBy());
                ps.setString(2, s.since().toString());
                ps.setString(3, s.reason());
                ps.setString(4, s.expectedSystem());
                ps.setString(5, s.runningSystem());
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Lifts the suspension in one transaction, forgets the last handled head (the next cycle deploys the
     * branch again) and accepts {@code running} (when known) as seen, so the hand-made system that caused
     * it is not reported as drift again. Returns what was lifted.
     */
    public Optional<Suspension> resume(String running, Instant at) {
        return store.inTransaction(c -> {
            Optional<Suspension> lifted = current(c);
            if (lifted.isEmpty()) {
                return lifted;
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM suspension")) {
                ps.executeUpdate();
            }
            // the head is handled again: a system changed by hand is replaced by the branch's
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM source_marks WHERE name = ?")) {
                ps.setString(1, SourceMark.LAST_SEEN);
                ps.executeUpdate();
            }
            if (running != null) {
                setDriftSeen(c, running, at);
            }
            return lifted;
        });
    }

    /** The running system last reported as drift or accepted by {@code resume}. */
    public Optional<String> driftSeen() {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT running_system FROM drift_seen WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        });
    }

    public void setDriftSeen(String running, Instant at) {
        store.inTransaction(c -> {
            setDriftSeen(c, running, at);
            return null;
        });
    }

    private static Optional<Suspension> current(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM suspension WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Suspension(rs.getString("suspended_by"), Instant.parse(rs.getString("since")),
                    rs.getString("reason"), rs.getString("expected_system"), rs.getString("running_system")));
        }
    }

    private static void setDriftSeen(Connection c, String running, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO drift_seen(id, running_system, seen_at)"
                + " VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET running_system = excluded.running_system,"
                + " seen_at = excluded.seen_at")) {
            ps.setString(1, running);
            ps.setString(2, at.toString());
            ps.executeUpdate();
        }
    }
}
