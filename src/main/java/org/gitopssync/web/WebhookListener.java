package org.gitopssync.web;

import org.gitopssync.forge.ForgeKind;
import org.gitopssync.forge.WebhookEvent;

/** What the daemon does with a verified webhook event; called off the HTTP thread. */
public interface WebhookListener {

    void onPush(ForgeKind forge, WebhookEvent.PushEvent event);

    void onPullRequest(ForgeKind forge, WebhookEvent.PullRequestEvent event);

    /** An approve comment whose payload does not name the pull request's head. */
    default void onPullRequestComment(ForgeKind forge, WebhookEvent.PullRequestCommentEvent event) {
    }
}
