package org.gitopssync.forge;

import java.util.List;

/** Lists the open pull requests of a repository, for forges without webhooks or to catch missed ones. */
public interface PullRequestLister {

    /** All open pull requests, every page; throws {@link ForgeException}. */
    List<PullRequest> openPullRequests(RepositoryCoordinates repository);
}
