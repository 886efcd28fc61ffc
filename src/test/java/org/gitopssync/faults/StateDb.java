package org.gitopssync.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/** Read-only queries on an agent's {@code state.db}, as an operator would run them while it works. */
final class StateDb {

    private final Path file;

    StateDb(Path stateDir) {
        this.file = stateDir.resolve("state.db");
    }

    /** The first column of every row, as text ("" for NULL); no rows when the database does not exist yet. */
    List<String> column(String sql, Object... args) {
        if (!Files.exists(file)) {
            return List.of();
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file);
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String v = rs.getString(1);
                    out.add(v == null ? "" : v);
                }
            }
            return out;
        } catch (SQLException e) {
            // a table another branch adds may not exist yet; a locked database is retried by the caller
            if (e.getMessage() != null && e.getMessage().contains("no such table")) {
                return List.of();
            }
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** "id outcome stage" of every cycle, oldest first. */
    List<String> cycles() {
        return column("SELECT id || ' ' || outcome || ' ' || COALESCE(stage, '-') FROM cycles ORDER BY id");
    }

    List<String> runningCycles() {
        return column("SELECT id FROM cycles WHERE outcome = 'running'");
    }

    List<String> runningCiRuns() {
        return column("SELECT id FROM ci_runs WHERE outcome = 'running'");
    }

    List<String> ciRuns() {
        return column("SELECT id FROM ci_runs ORDER BY id");
    }
}
