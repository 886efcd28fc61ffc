package org.gitopssync.review;

import org.gitopssync.GitopsException;
import org.gitopssync.forge.PullRequest;
import org.gitopssync.report.Forges;
import org.jboss.logging.Logger;

/**
 * For machines that take no inbound traffic: asks each forge for its open pull requests and
 * queues a check for every head not checked yet.
 */
public final class PullRequestPoller {

    private static final Logger LOG = Logger.getLogger(PullRequestPoller.class);

    private final Forges forges;
    private final PullRequestQueue queue;

    public PullRequestPoller(Forges forges, PullRequestQueue queue) {
        this.forges = forges;
        this.queue = queue;
    }

    /** One poll of every forge; returns how many checks were queued. */
    public int poll() {
        int queued = 0;
        for (Forges.Link link : forges.links()) {
            try {
                for (PullRequest pr : link.api().pullRequestLister().openPullRequests(link.repository())) {
                    if (queue.submit(new PullRequestJob(link.kind(), pr.number(), pr.headSha(), pr.headRef(),
                            pr.baseRef(), pr.fromFork(), pr.author()))) {
                        queued++;
                    }
                }
            } catch (GitopsException e) {
                LOG.warnf("pull requests: cannot list open pull requests on %s: %s", link.kind().displayName(),
                        e.getMessage());
            }
        }
        if (queued > 0) {
            LOG.infof("pull requests: %d new head%s to check", queued, queued == 1 ? "" : "s");
        }
        return queued;
    }
}
