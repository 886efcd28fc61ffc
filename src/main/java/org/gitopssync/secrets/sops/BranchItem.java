package org.gitopssync.secrets.sops;

/** One entry of a {@link SopsBranch}: a key/value pair or a comment line. */
sealed interface BranchItem permits KeyValue, Comment {
}
