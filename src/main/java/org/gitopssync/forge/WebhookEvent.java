package org.gitopssync.forge;

/** What a webhook delivery asks gitops-sync to do: look at a pushed branch, a pull request, or nothing. */
public sealed interface WebhookEvent {

    /** New commits on a branch; {@code cloneUrl}/{@code sshUrl} may be null when the forge leaves them out. */
    record PushEvent(String repository, String cloneUrl, String sshUrl, String ref, String branch,
                     String beforeSha, String afterSha) implements WebhookEvent {
    }

    /**
     * A pull (merge) request was opened, got new commits, or was reopened. {@code number} is the GitLab iid.
     * {@code author} is the pull request author on GitHub and Gitea, the acting user on GitLab (whose
     * payload does not name the author). A fork's code is untrusted: check {@code fromFork}.
     */
    record PullRequestEvent(PullRequestAction action, int number, String headSha, String headRef, String baseRef,
                            String headRepository, String baseRepository, boolean fromFork, String author)
            implements WebhookEvent {
    }

    /**
     * An approve comment on pull request {@code number} of {@code repository}, from a forge whose
     * comment payload does not name the head (GitHub, Gitea): the head is looked up.
     */
    record PullRequestCommentEvent(String repository, int number) implements WebhookEvent {
    }

    /** A valid delivery that needs no work (ping, tag, closed pull request, other event types). */
    record IgnoredEvent(String reason) implements WebhookEvent {
    }
}
