package org.gitopssync.review;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import org.gitopssync.state.StateStore;

/**
 * The head each pull request has and since when this agent knows it, kept in the state database so
 * an approval given before a restart still counts and one given before a push never does.
 */
public final class PullRequestHeads {

    private final StateStore store;
    private final Clock clock;

    public PullRequestHeads(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Since when {@code job}'s head is the head of its pull request; a head not seen before (or seen
     * again after another one, as after a force-push back) starts now.
     */
    Instant since(PullRequestJob job) {
        return store.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT head_sha, since FROM pull_request_heads WHERE pull_request = ?")) {
                ps.setString(1, job.key());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString("head_sha").equals(job.headSha())) {
                        return Instant.parse(rs.getString("since"));
                    }
                }
            }
            Instant now = clock.instant();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pull_request_heads(pull_request, head_sha, since)"
                    + " VALUES (?, ?, ?) ON CONFLICT(pull_request) DO UPDATE SET head_sha = excluded.head_sha,"
                    + " since = excluded.since")) {
                ps.setString(1, job.key());
                ps.setString(2, job.headSha());
                ps.setString(3, now.toString());
                ps.executeUpdate();
            }
            return now;
        });
    }
}
