package org.gitopssync.reconcile;

import java.util.List;
import org.gitopssync.forge.PostedStatus;

/** The statuses the followed repository's forge shows on a commit: the ledger a wave reads. */
@FunctionalInterface
public interface CommitStatuses {

    /** No forge: nothing is shown anywhere. */
    CommitStatuses NONE = sha -> List.of();

    /** The latest status of each context on {@code sha}; a {@code ForgeException} when the forge cannot say. */
    List<PostedStatus> of(String sha);
}
