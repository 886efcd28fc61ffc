package org.gitopssync.state;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The commits the health gate rolled back, kept in {@code deploy_quarantine} until the branch moves or a retry. */
public final class Quarantines {

    private final StateStore store;

    public Quarantines(StateStore store) {
        this.store = store;
    }

    /** Keeps a rolled-back commit from being tried again (replacing an older quarantine of the same commit). */
    public void add(Quarantine q) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO deploy_quarantine(commit_sha, cycle_id, probe,"
                    + " output, since) VALUES (?, ?, ?, ?, ?) ON CONFLICT(commit_sha) DO UPDATE SET"
                    + " cycle_id = excluded.cycle_id, probe = excluded.probe, output = excluded.output,"
                    + " since = excluded.since")) {
                ps.setString(1, q.commit());
                ps.setLong(2, q.cycleId());
                ps.setString(3, q.probe());
                ps.setString(4, q.output());
                ps.setString(5, q.since().toString());
                return ps.executeUpdate();
            }
        });
    }

    /** The quarantine of a commit, if it has one. */
    public Optional<Quarantine> of(String commit) {
        return query("SELECT * FROM deploy_quarantine WHERE commit_sha = ?", commit).stream().findFirst();
    }

    /** Every quarantined commit, newest first. */
    public List<Quarantine> all() {
        return query("SELECT * FROM deploy_quarantine ORDER BY since DESC");
    }

    /** Lifts every quarantine; returns the commits that were quarantined. */
    public List<Quarantine> liftAll() {
        return store.inTransaction(c -> {
            List<Quarantine> lifted = read(c.prepareStatement("SELECT * FROM deploy_quarantine ORDER BY since DESC"));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM deploy_quarantine")) {
                ps.executeUpdate();
            }
            return lifted;
        });
    }

    private List<Quarantine> query(String sql, String... args) {
        return store.inTransaction(c -> {
            PreparedStatement ps = c.prepareStatement(sql);
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            return read(ps);
        });
    }

    private static List<Quarantine> read(PreparedStatement statement) throws SQLException {
        List<Quarantine> out = new ArrayList<>();
        try (PreparedStatement ps = statement; ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Quarantine(rs.getString("commit_sha"), rs.getLong("cycle_id"), rs.getString("probe"),
                        rs.getString("output"), StateStore.instant(rs.getString("since"))));
            }
        }
        return out;
    }
}
