package org.gitopssync.reconcile;

import org.gitopssync.ci.BuiltSystem;
import org.gitopssync.ci.CiResult;

/**
 * What the BUILD stage produced: the CI run (its outputs go to the caches; empty for a realised release) and this
 * host's system (null for a fleet builder that deploys nothing itself).
 */
record BuildResult(CiResult ci, BuiltSystem system) {
}
