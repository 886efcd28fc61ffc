package org.gitopssync.reconcile;

import org.gitopssync.source.FetchedCommit;

/**
 * What a cycle handles once the branch head is known: a commit and the stage that obtains its system, or nothing yet
 * (a fleet host waiting for its builder) with the summary that says why.
 */
record Deployable(FetchedCommit commit, SystemStage stage, String waitingSummary) {

    static Deployable of(FetchedCommit commit, SystemStage stage) {
        return new Deployable(commit, stage, null);
    }

    static Deployable waiting(String summary) {
        return new Deployable(null, null, summary);
    }

    boolean isWaiting() {
        return commit == null;
    }
}
