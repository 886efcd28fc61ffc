package org.gitopssync.forge;

/** The pull request changes gitops-sync acts on, named the same for every forge. */
public enum PullRequestAction {
    OPENED,
    /** New commits on the head branch (GitHub "synchronize", Gitea "synchronized", GitLab "update"). */
    SYNCHRONIZED,
    REOPENED,
    /** Labels changed (GitHub "labeled", Gitea "label_updated", GitLab "update" of labels): maybe the approval label. */
    LABELED,
    /** An approve comment (GitLab notes name the head; GitHub and Gitea comments arrive as a {@code PullRequestCommentEvent}). */
    COMMENTED
}
