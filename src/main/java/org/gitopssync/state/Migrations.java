package org.gitopssync.state;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The schema, one numbered step at a time; each step runs in its own transaction. */
final class Migrations {

    /** Index i holds the statements that take the schema from version i to i + 1. */
    static final List<List<String>> STEPS = List.of(
            List.of(
                    """
                    CREATE TABLE cycles (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      trigger TEXT NOT NULL,
                      started_at TEXT NOT NULL,
                      finished_at TEXT,
                      branch TEXT,
                      commit_sha TEXT,
                      outcome TEXT NOT NULL,
                      stage TEXT,
                      error TEXT,
                      log_path TEXT)""",
                    """
                    CREATE TABLE deployments (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      cycle_id INTEGER NOT NULL REFERENCES cycles(id),
                      commit_sha TEXT NOT NULL,
                      operation TEXT NOT NULL,
                      method TEXT NOT NULL,
                      out_path TEXT NOT NULL,
                      generation INTEGER,
                      status TEXT NOT NULL,
                      error TEXT,
                      started_at TEXT NOT NULL,
                      finished_at TEXT)""",
                    """
                    CREATE TABLE source_marks (
                      name TEXT PRIMARY KEY,
                      commit_sha TEXT NOT NULL,
                      updated_at TEXT NOT NULL,
                      note TEXT)""",
                    "CREATE INDEX cycles_started ON cycles(started_at)",
                    "CREATE INDEX deployments_status ON deployments(status, id)"),
            List.of(
                    """
                    CREATE TABLE ci_runs (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      branch TEXT,
                      commit_sha TEXT NOT NULL,
                      flake_ref TEXT NOT NULL,
                      started_at TEXT NOT NULL,
                      finished_at TEXT,
                      outcome TEXT NOT NULL,
                      summary TEXT)""",
                    """
                    CREATE TABLE ci_results (
                      run_id INTEGER NOT NULL REFERENCES ci_runs(id),
                      attribute TEXT NOT NULL,
                      kind TEXT NOT NULL,
                      name TEXT NOT NULL,
                      drv_path TEXT,
                      outputs TEXT,
                      status TEXT NOT NULL,
                      duration_ms INTEGER NOT NULL,
                      log_path TEXT,
                      error TEXT,
                      PRIMARY KEY (run_id, attribute))""",
                    """
                    CREATE TABLE ci_failed_derivations (
                      drv_path TEXT PRIMARY KEY,
                      attribute TEXT,
                      commit_sha TEXT,
                      run_id INTEGER,
                      status TEXT NOT NULL,
                      failed_at TEXT NOT NULL,
                      log_path TEXT,
                      error TEXT)""",
                    "CREATE INDEX ci_runs_branch ON ci_runs(branch, id)"),
            List.of(
                    // units whose secrets changed, written before the switch and cleared once restarted
                    """
                    CREATE TABLE secrets_owed_units (
                      unit TEXT NOT NULL,
                      action TEXT NOT NULL,
                      generation INTEGER NOT NULL,
                      PRIMARY KEY (unit, action, generation))""",
                    // the path links the agent created, so it never replaces a link it did not make
                    """
                    CREATE TABLE secrets_links (
                      path TEXT PRIMARY KEY)""",
                    // the fingerprint of the generation the last successful cycle left live
                    """
                    CREATE TABLE secrets_expected (
                      id INTEGER PRIMARY KEY CHECK (id = 1),
                      fingerprint TEXT NOT NULL)"""),
            List.of(
                    // The head each pull request has now and since when: approvals must be newer.
                    """
                    CREATE TABLE pull_request_heads (
                      pull_request TEXT PRIMARY KEY,
                      head_sha TEXT NOT NULL,
                      since TEXT NOT NULL)"""),
            List.of(

                    // the process running a CI run, so a later one can close the runs of a dead process only
                    "ALTER TABLE ci_runs ADD COLUMN owner TEXT",
                    // statuses written before they are sent, removed once the forge accepted them
                    """
                    CREATE TABLE status_outbox (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      forge TEXT NOT NULL,
                      repository TEXT NOT NULL,
                      sha TEXT NOT NULL,
                      context TEXT NOT NULL,
                      state TEXT NOT NULL,
                      description TEXT,
                      target_url TEXT,
                      ref TEXT,
                      written_at TEXT NOT NULL,
                      UNIQUE (forge, repository, sha, context))"""),
            List.of(

                    // Commits whose system failed the health gate and was rolled back: not tried again until
                    // the branch moves or `gitops-sync retry` lifts the quarantine.
                    """
                    CREATE TABLE deploy_quarantine (
                      commit_sha TEXT PRIMARY KEY,
                      cycle_id INTEGER NOT NULL,
                      probe TEXT NOT NULL,
                      output TEXT,
                      since TEXT NOT NULL)"""),
            List.of(

                    // Set by `suspend` or by drift; while present no cycle deploys or installs secrets.
                    """
                    CREATE TABLE suspension (
                      id INTEGER PRIMARY KEY CHECK (id = 1),
                      suspended_by TEXT NOT NULL,
                      since TEXT NOT NULL,
                      reason TEXT,
                      expected_system TEXT,
                      running_system TEXT)""",
                    // The running system last reported as drift or accepted by `resume`: reported once, not per poll.
                    """
                    CREATE TABLE drift_seen (
                      id INTEGER PRIMARY KEY CHECK (id = 1),
                      running_system TEXT NOT NULL,
                      seen_at TEXT NOT NULL)"""),
            List.of(
                    // How status deliveries ended, per forge: the metrics' counters survive one-shot processes.
                    """
                    CREATE TABLE status_results (
                      forge TEXT NOT NULL,
                      result TEXT NOT NULL,
                      count INTEGER NOT NULL,
                      PRIMARY KEY (forge, result))"""),
            List.of(
                    // What the status page shows of a cycle's commit without opening the clone.
                    "ALTER TABLE cycles ADD COLUMN commit_subject TEXT",
                    "ALTER TABLE cycles ADD COLUMN commit_author TEXT",
                    // When a cycle entered each stage: the page's per-stage durations and timeline.
                    """
                    CREATE TABLE cycle_stages (
                      cycle_id INTEGER NOT NULL REFERENCES cycles(id),
                      stage TEXT NOT NULL,
                      entered_at TEXT NOT NULL)""",
                    "CREATE INDEX cycle_stages_cycle ON cycle_stages(cycle_id, entered_at)"),
            List.of(
                    // A finished cycle its observers (forge statuses, hooks) have not all heard of yet: written with
                    // the outcome, removed once they have; the next cycle tells them again after a crash.
                    """
                    CREATE TABLE observers_owed (
                      cycle_id INTEGER PRIMARY KEY REFERENCES cycles(id),
                      notice TEXT NOT NULL)"""),
            List.of(
                    // Evaluations the CI engine may reuse: keyed by what fully determines one (commit, the
                    // attributes selected, Nix version and options); an entry and its attributes are written
                    // in one transaction, and `attributes` says how many rows a complete entry has.
                    """
                    CREATE TABLE ci_evaluations (
                      key TEXT PRIMARY KEY,
                      commit_sha TEXT NOT NULL,
                      run_id INTEGER NOT NULL,
                      attributes INTEGER NOT NULL,
                      created_at TEXT NOT NULL,
                      used_at INTEGER NOT NULL)""",
                    """
                    CREATE TABLE ci_evaluation_attributes (
                      key TEXT NOT NULL REFERENCES ci_evaluations(key),
                      attribute TEXT NOT NULL,
                      kind TEXT NOT NULL,
                      name TEXT NOT NULL,
                      drv_path TEXT NOT NULL,
                      outputs TEXT NOT NULL,
                      PRIMARY KEY (key, attribute))""",
                    "CREATE INDEX ci_evaluations_used ON ci_evaluations(used_at)"));

    /**
     * Indexes and a table created after the steps, when missing. They change nothing an older agent reads, so they are
     * not numbered steps: a step's version makes an older agent refuse the database, which would break a rollback to
     * an older generation of the host. {@code cycles_outcome}: every cycle looks for cycles a dead process left
     * running, and {@link CycleRetention} for the newest cycle of each outcome, in one lookup each (it replaces the
     * partial index {@code cycles_running}, which an older agent may create again); {@code ci_runs_running}: the look
     * for CI runs left running, at the start of each. {@code cycles_pruned}: how many cycles {@link CycleRetention}
     * removed, per trigger and outcome, so the metrics' cycle counters never go down (an older agent, not knowing it,
     * counts only the cycles still kept).
     */
    static final List<String> UNNUMBERED = List.of(
            "CREATE INDEX IF NOT EXISTS cycles_outcome ON cycles(outcome, id)",
            "DROP INDEX IF EXISTS cycles_running",
            "CREATE INDEX IF NOT EXISTS ci_runs_running ON ci_runs(id) WHERE outcome = 'running'",
            """
            CREATE TABLE IF NOT EXISTS cycles_pruned (
              trigger TEXT NOT NULL,
              outcome TEXT NOT NULL,
              count INTEGER NOT NULL,
              PRIMARY KEY (trigger, outcome))""");

    private Migrations() {
    }

    static int apply(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        }
        int version = current(c);
        if (version > STEPS.size()) {
            throw new StateException("state database schema version " + version
                    + " is newer than this gitops-sync understands (" + STEPS.size() + "); upgrade gitops-sync");
        }
        for (int v = version; v < STEPS.size(); v++) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : STEPS.get(v)) {
                    s.execute(sql);
                }
                s.execute("DELETE FROM schema_version");
                s.execute("INSERT INTO schema_version(version) VALUES (" + (v + 1) + ")");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        try (Statement s = c.createStatement()) {
            for (String sql : UNNUMBERED) {
                s.execute(sql);
            }
        }
        return STEPS.size();
    }

    static int current(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
