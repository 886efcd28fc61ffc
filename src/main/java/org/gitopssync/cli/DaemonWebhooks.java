package org.gitopssync.cli;

import org.gitopssync.config.Settings;
import org.gitopssync.forge.ForgeKind;
import org.gitopssync.forge.WebhookEvent;
import org.gitopssync.reconcile.CycleScheduler;
import org.gitopssync.reconcile.Trigger;
import org.gitopssync.web.WebhookListener;
import org.jboss.logging.Logger;

/** The daemon's reaction to webhooks: a push to the followed branch runs a cycle now. */
final class DaemonWebhooks implements WebhookListener {

    private static final Logger LOG = Logger.getLogger(DaemonWebhooks.class);

    private final Settings settings;
    private final CycleScheduler cycles;

    DaemonWebhooks(Settings settings, CycleScheduler cycles) {
        this.settings = settings;
        this.cycles = cycles;
    }

    @Override
    public void onPush(ForgeKind forge, WebhookEvent.PushEvent event) {
        if (!settings.repository().branch().equals(event.branch())) {
            LOG.debugf("webhook: push to %s ignored (following %s)", event.branch(), settings.repository().branch());
            return;
        }
        cycles.request(Trigger.WEBHOOK);
    }

    @Override
    public void onPullRequest(ForgeKind forge, WebhookEvent.PullRequestEvent event) {
        LOG.infof("webhook: pull request #%d ignored: [pull_requests] enable = false", event.number());
    }
}
