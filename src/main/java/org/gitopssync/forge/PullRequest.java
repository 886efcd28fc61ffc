package org.gitopssync.forge;

/**
 * An open pull (merge) request: {@code number} is the GitLab iid; {@code fromFork} is true when the head
 * lives in another repository (or that repository was deleted), i.e. its code is not trusted.
 */
public record PullRequest(int number, String headSha, String headRef, String baseRef, boolean fromFork,
                          String author) {
}
