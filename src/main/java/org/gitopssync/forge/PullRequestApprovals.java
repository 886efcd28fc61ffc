package org.gitopssync.forge;

import java.util.List;
import java.util.function.Predicate;

/** Reads the approvals of a pull request from the forge, keeping those by users the forge says may write. */
public interface PullRequestApprovals {

    /** The comment line that approves a pull request (optionally followed by a commit sha). */
    String COMMAND = "/gitops-sync approve";

    /**
     * The approvals {@code wanted} accepts (so only those cost a permission lookup) whose user has
     * write access to {@code repository}; throws {@link ForgeException}.
     */
    List<Approval> approvals(RepositoryCoordinates repository, int number, String label, Predicate<Approval> wanted);
}
