package org.gitopssync.reconcile;

import org.gitopssync.ci.BuiltSystem;
import org.gitopssync.ci.CiResult;

/** What the BUILD stage produced: the CI run (its outputs go to the caches) and this host's system. */
record BuildResult(CiResult ci, BuiltSystem system) {
}
