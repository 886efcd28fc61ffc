package org.gitopssync.reconcile;

import java.time.Clock;
import org.gitopssync.source.FetchedCommit;
import org.gitopssync.state.SourceMark;
import org.gitopssync.state.StateStore;

/**
 * Remembers the remote head a cycle finished with (deployed, up to date, failed to build...), so
 * the next poll that finds the branch unchanged does nothing instead of rebuilding the same commit.
 */
final class HandledCommits {

    private final StateStore store;
    private final Clock clock;

    HandledCommits(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void handled(FetchedCommit commit, String note) {
        store.setMark(SourceMark.LAST_SEEN, commit.sha(), note, clock.instant());
    }
}
