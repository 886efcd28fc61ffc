package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.gitopssync.Cancellation;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.config.ForgeSettings;
import org.gitopssync.report.Forges;
import org.gitopssync.review.PullRequestJob;
import org.gitopssync.review.PullRequestPoller;
import org.gitopssync.review.PullRequestQueue;
import org.gitopssync.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** Polling for pull requests through the GitHub API double, and the queue that runs their checks. */
class PullRequestPollingTest {

    private static final String TOKEN = "ghp_poll";

    @Test
    void newHeadsAreQueuedOnceAndANewerHeadCancelsTheOlderCheck() throws Exception {
        BlockingQueue<PullRequestJob> ran = new LinkedBlockingQueue<>();
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<Cancellation> cancellations = new LinkedBlockingQueue<>();
        try (GitHubApiDouble github = new GitHubApiDouble(MutableClock.atDefault(), TOKEN);
                Forges forges = Forges.open(List.of(new ForgeSettings(ForgeSettings.ForgeType.GITHUB,
                        URI.create(github.baseUrl().toString()), "acme/fleet", new CredentialSource.Env(List.of("T")),
                        null, null, CredentialSource.none(), CredentialSource.none(), 40)),
                        new CredentialResolver(Map.of("T", TOKEN), null));
                PullRequestQueue queue = new PullRequestQueue((job, c) -> {
                    cancellations.add(c);
                    ran.add(job);
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })) {
            github.addPullRequest("acme/fleet", 7, "a".repeat(40), "feature/x", "acme/fleet", "alice");
            github.addPullRequest("acme/fleet", 8, "b".repeat(40), "patch-1", "stranger/fleet", "stranger");
            PullRequestPoller poller = new PullRequestPoller(forges, queue);

            assertThat(poller.poll()).isEqualTo(2);
            assertThat(poller.poll()).as("the same heads are not checked twice").isZero();
            PullRequestJob first = ran.poll(30, TimeUnit.SECONDS);
            assertThat(first.number()).isEqualTo(7);
            assertThat(first.fromFork()).isFalse();

            Cancellation running = cancellations.poll(30, TimeUnit.SECONDS);
            assertThat(queue.submit(new PullRequestJob(ForgeKind.GITHUB, 7, "c".repeat(40), "feature/x", "main",
                    false, "alice"))).isTrue();
            assertThat(running.isCancelled()).as("the older head's check is cancelled").isTrue();
            release.countDown();

            PullRequestJob second = ran.poll(30, TimeUnit.SECONDS);
            assertThat(second.number()).isEqualTo(8);
            assertThat(second.fromFork()).isTrue();
            assertThat(ran.poll(30, TimeUnit.SECONDS).headSha()).isEqualTo("c".repeat(40));
        }
    }
}
