package org.gitopssync.forge;

/** The pull request changes gitops-sync acts on, named the same for every forge. */
public enum PullRequestAction {
    OPENED,
    /** New commits on the head branch (GitHub "synchronize", Gitea "synchronized", GitLab "update"). */
    SYNCHRONIZED,
    REOPENED
}
