package org.gitopssync.secrets.install;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.gitopssync.state.StateStore;

/**
 * What the secrets stage must remember across crashes and reboots, in the state database: the units still owed
 * a restart or reload, the {@code path} links the agent created, and the generation a successful cycle left live.
 */
final class SecretsLedger {

    private static final String RESTART = "restart";
    private static final String RELOAD = "reload";

    private final StateStore store;

    SecretsLedger(StateStore store) {
        this.store = store;
    }

    /** Records the units a generation's switch owes, before the switch: a crash after it cannot lose them. */
    void owe(int generation, UnitChanges units) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO secrets_owed_units(unit, action, generation) VALUES (?, ?, ?)")) {
                for (String unit : units.restart()) {
                    add(ps, unit, RESTART, generation);
                }
                for (String unit : units.reload()) {
                    add(ps, unit, RELOAD, generation);
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static void add(PreparedStatement ps, String unit, String action, int generation) throws SQLException {
        ps.setString(1, unit);
        ps.setString(2, action);
        ps.setInt(3, generation);
        ps.addBatch();
    }

    /** Every unit still owed, by this cycle or by one that died after its switch, in the order they were owed. */
    UnitChanges owed() {
        return store.inTransaction(c -> {
            Set<String> restart = new LinkedHashSet<>();
            Set<String> reload = new LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT unit, action FROM secrets_owed_units ORDER BY rowid");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    (RESTART.equals(rs.getString(2)) ? restart : reload).add(rs.getString(1));
                }
            }
            reload.removeAll(restart);
            return new UnitChanges(new ArrayList<>(restart), new ArrayList<>(reload));
        });
    }

    /** The units were restarted (or left to the next boot): nothing is owed any more. */
    void settle() {
        update("DELETE FROM secrets_owed_units");
    }

    /** A generation was switched back before its units ran: it owes nothing. */
    void forgive(int generation) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM secrets_owed_units WHERE generation = ?")) {
                ps.setInt(1, generation);
                return ps.executeUpdate();
            }
        });
    }

    boolean owns(Path link) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM secrets_links WHERE path = ?")) {
                ps.setString(1, link.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Written before the link is created, so a link the agent made is always one it knows. */
    void own(Path link) {
        update("INSERT OR IGNORE INTO secrets_links(path) VALUES (?)", link.toString());
    }

    void disown(Path link) {
        update("DELETE FROM secrets_links WHERE path = ?", link.toString());
    }

    /** The fingerprint of the generation that should be live, or empty when the deployed commit has no secrets. */
    Optional<String> expected() {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint FROM secrets_expected WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        });
    }

    void expect(Optional<String> fingerprint) {
        if (fingerprint.isPresent()) {
            update("INSERT INTO secrets_expected(id, fingerprint) VALUES (1, ?)"
                    + " ON CONFLICT(id) DO UPDATE SET fingerprint = excluded.fingerprint", fingerprint.get());
        } else {
            update("DELETE FROM secrets_expected");
        }
    }

    private void update(String sql, String... args) {
        store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        });
    }
}
