package org.gitopssync.reconcile;

import org.gitopssync.source.FetchedCommit;

/** What the SOURCE stage found: the commit the cycle handles, or nothing to do and the summary that says why. */
record SourceResult(FetchedCommit target, String unchangedSummary) {

    static SourceResult unchanged(String summary) {
        return new SourceResult(null, summary);
    }

    static SourceResult fetched(FetchedCommit target) {
        return new SourceResult(target, null);
    }

    boolean isUnchanged() {
        return target == null;
    }
}
