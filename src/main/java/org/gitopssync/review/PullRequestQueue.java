package org.gitopssync.review;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.gitopssync.Cancellation;
import org.jboss.logging.Logger;

/**
 * Runs pull request checks one at a time, off the webhook and poll threads. A head already checked
 * or queued is not queued again (unless it waits for an approval); a newer head of the same pull request cancels the older check.
 */
public final class PullRequestQueue implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PullRequestQueue.class);

    /** Runs a check and answers whether the head is done (false: it waits for an approval, so ask again later). */
    private final BiPredicate<PullRequestJob, Cancellation> runner;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pull-requests");
        t.setDaemon(true);
        return t;
    });
    /** pull request (forge and number) -> the newest head seen, and the cancellation of its check. */
    private final Map<String, Submitted> latest = new ConcurrentHashMap<>();

    private record Submitted(String sha, Cancellation cancellation) {
    }

    public PullRequestQueue(BiConsumer<PullRequestJob, Cancellation> runner) {
        this((job, cancellation) -> {
            runner.accept(job, cancellation);
            return true;
        });
    }

    /** {@code runner} answers whether the head is done; one that is not is forgotten, to be checked again. */
    PullRequestQueue(BiPredicate<PullRequestJob, Cancellation> runner) {
        this.runner = runner;
    }

    /**
     * Checks with {@code runner}; a head that waits for an approval is forgotten, so the next poll
     * or webhook for it checks again whether it was approved meanwhile.
     */
    public static PullRequestQueue checking(PullRequestRunner runner) {
        return new PullRequestQueue((job, cancellation) ->
                runner.run(job, cancellation).state() != PullRequestOutcome.State.WAITING_FOR_APPROVAL);
    }

    /** Queues a check of this head unless it is already queued or done; returns whether it was queued. */
    public boolean submit(PullRequestJob job) {
        Cancellation cancellation = new Cancellation();
        Submitted mine = new Submitted(job.headSha(), cancellation);
        Submitted previous = latest.put(job.key(), mine);
        if (previous != null && previous.sha().equals(job.headSha())) {
            latest.put(job.key(), previous);
            return false;
        }
        if (previous != null) {
            previous.cancellation().cancel("pull request #" + job.number() + " has a newer head " + job.headSha());
        }
        worker.submit(() -> {
            if (cancellation.isCancelled()) {
                return;
            }
            try {
                if (!runner.test(job, cancellation)) {
                    latest.remove(job.key(), mine);
                }
            } catch (RuntimeException e) {
                LOG.errorf("pull request #%d: check of %s failed: %s", job.number(), job.headSha(), e.getMessage());
            }
        });
        return true;
    }

    @Override
    public void close() {
        latest.values().forEach(s -> s.cancellation().cancel("the daemon is stopping"));
        worker.shutdown();
        try {
            worker.awaitTermination(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
