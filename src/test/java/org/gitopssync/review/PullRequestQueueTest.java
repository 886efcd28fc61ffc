package org.gitopssync.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gitopssync.forge.ForgeKind;
import org.gitopssync.testing.Processes;
import org.junit.jupiter.api.Test;

class PullRequestQueueTest {

    @Test
    void aHeadWaitingForApprovalIsCheckedAgainWhenSubmittedAgainAndADoneHeadIsNot() throws Exception {
        BlockingQueue<String> ran = new LinkedBlockingQueue<>();
        PullRequestJob waiting = new PullRequestJob(ForgeKind.GITHUB, 9, "a".repeat(40), "fork", "main", true, "x");
        PullRequestJob done = new PullRequestJob(ForgeKind.GITHUB, 7, "b".repeat(40), "feature", "main", false, "y");
        try (PullRequestQueue queue = new PullRequestQueue((job, c) -> {
            ran.add(job.key());
            return job.number() != 9;
        })) {
            assertThat(queue.submit(waiting)).isTrue();
            assertThat(queue.submit(done)).isTrue();
            assertThat(ran.poll(30, TimeUnit.SECONDS)).isEqualTo("github#9");
            assertThat(ran.poll(30, TimeUnit.SECONDS)).isEqualTo("github#7");

            AtomicBoolean queuedAgain = new AtomicBoolean();
            Processes.await(() -> {
                if (!queuedAgain.get() && queue.submit(waiting)) {
                    queuedAgain.set(true);
                }
                return queuedAgain.get();
            });
            assertThat(queuedAgain).as("the waiting head is asked about again").isTrue();
            assertThat(ran.poll(30, TimeUnit.SECONDS)).isEqualTo("github#9");
            assertThat(queue.submit(done)).as("a head that was checked is not checked twice").isFalse();
        }
    }
}
