package org.gitopssync.forge;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.gitopssync.state.StateStore;

/** The status outbox of one forge in the agent's state database ({@code status_outbox}). */
public final class StoredStatusOutbox implements StatusOutbox {

    private final StateStore store;
    private final String forge;
    private final Clock clock;

    public StoredStatusOutbox(StateStore store, ForgeKind forge, Clock clock) {
        this.store = store;
        this.forge = forge.name();
        this.clock = clock;
    }

    @Override
    public long write(RepositoryCoordinates repository, CommitStatus status) {
        return store.inTransaction(c -> {
            // REPLACE deletes the older row and inserts a new one with a larger id: newest wins
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO status_outbox(forge, repository,"
                    + " sha, context, state, description, target_url, ref, written_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, forge);
                ps.setString(2, repository.fullName());
                ps.setString(3, status.sha());
                ps.setString(4, status.context());
                ps.setString(5, status.state().name());
                ps.setString(6, status.description());
                ps.setString(7, status.targetUrl());
                ps.setString(8, status.ref());
                ps.setString(9, clock.instant().toString());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    @Override
    public void remove(long id) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM status_outbox WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void tally(DeliveryResult result, long n) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO status_results(forge, result, count)"
                    + " VALUES (?, ?, ?) ON CONFLICT(forge, result) DO UPDATE SET count = count + excluded.count")) {
                ps.setString(1, forge);
                ps.setString(2, result.word());
                ps.setLong(3, n);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean isCurrent(long id) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM status_outbox WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public List<Stored> stored() {
        return store.inTransaction(c -> {
            List<Stored> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM status_outbox WHERE forge = ? ORDER BY id")) {
                ps.setString(1, forge);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Stored(rs.getLong("id"), new RepositoryCoordinates(rs.getString("repository")),
                                new CommitStatus(rs.getString("sha"), rs.getString("context"),
                                        StatusState.valueOf(rs.getString("state")), rs.getString("description"),
                                        rs.getString("target_url"), rs.getString("ref"))));
                    }
                }
            }
            return out;
        });
    }
}
