package org.gitopssync.reconcile;

/** What the secrets and cache stages add to the cycle's summary, each empty or starting with "; ". */
record StageNotes(String secrets, String cache) {
}
