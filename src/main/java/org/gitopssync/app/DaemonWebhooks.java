package org.gitopssync.app;

import org.gitopssync.GitopsException;
import org.gitopssync.config.Settings;
import org.gitopssync.forge.ForgeKind;
import org.gitopssync.forge.WebhookEvent;
import org.gitopssync.reconcile.CycleScheduler;
import org.gitopssync.report.Forges;
import org.gitopssync.review.PullRequestJob;
import org.gitopssync.review.PullRequestQueue;
import org.gitopssync.web.WebhookListener;
import org.jboss.logging.Logger;

/**
 * The daemon's reaction to webhooks: a push to the followed branch runs a cycle now; a pull request
 * opened or updated gets a check of its head (when {@code [pull_requests] enable}).
 */
final class DaemonWebhooks implements WebhookListener {

    private static final Logger LOG = Logger.getLogger(DaemonWebhooks.class);

    private final Settings settings;
    private final CycleScheduler cycles;
    private final PullRequestQueue pullRequests;
    private final Forges forges;

    /** {@code pullRequests} is null when pull request checks are off. */
    DaemonWebhooks(Settings settings, CycleScheduler cycles, PullRequestQueue pullRequests, Forges forges) {
        this.settings = settings;
        this.cycles = cycles;
        this.pullRequests = pullRequests;
        this.forges = forges;
    }

    @Override
    public void onPush(ForgeKind forge, WebhookEvent.PushEvent event) {
        if (!forges.follows(forge, event.repository())) {
            LOG.infof("webhook: push to %s ignored: not the repository this host follows", event.repository());
            return;
        }
        if (!settings.repository().branch().equals(event.branch())) {
            LOG.debugf("webhook: push to %s ignored (following %s)", event.branch(), settings.repository().branch());
            return;
        }
        cycles.supersede(event.afterSha(), settings.ci().cancelSuperseded());
    }

    @Override
    public void onPullRequest(ForgeKind forge, WebhookEvent.PullRequestEvent event) {
        if (pullRequests == null) {
            LOG.infof("webhook: pull request #%d ignored: [pull_requests] enable = false", event.number());
            return;
        }
        if (!forges.follows(forge, event.baseRepository())) {
            LOG.infof("webhook: pull request #%d of %s ignored: not the repository this host follows", event.number(),
                    event.baseRepository());
            return;
        }
        pullRequests.submit(new PullRequestJob(forge, event.number(), event.headSha(), event.headRef(), event.baseRef(),
                event.fromFork(), event.author()));
    }

    /** The comment names no head: ask the forge for the pull request, then check it like a new head. */
    @Override
    public void onPullRequestComment(ForgeKind forge, WebhookEvent.PullRequestCommentEvent event) {
        if (pullRequests == null || !forges.follows(forge, event.repository())) {
            LOG.debugf("webhook: approve comment on #%d of %s ignored", event.number(), event.repository());
            return;
        }
        forges.link(forge).ifPresent(link -> {
            try {
                link.api().pullRequestLister().openPullRequests(link.repository()).stream()
                        .filter(pr -> pr.number() == event.number()).findFirst()
                        .ifPresent(pr -> pullRequests.submit(new PullRequestJob(forge, pr.number(), pr.headSha(),
                                pr.headRef(), pr.baseRef(), pr.fromFork(), pr.author())));
            } catch (GitopsException e) {
                LOG.warnf("webhook: approve comment on #%d: cannot look up the pull request: %s", event.number(),
                        e.getMessage());
            }
        });
    }
}
