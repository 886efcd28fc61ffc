package org.gitopssync.review;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.gitopssync.Cancellation;
import org.jboss.logging.Logger;

/**
 * Runs pull request checks one at a time, off the webhook and poll threads. A head already checked
 * or queued is not queued again; a newer head of the same pull request cancels the older check.
 */
public final class PullRequestQueue implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PullRequestQueue.class);

    private final BiConsumer<PullRequestJob, Cancellation> runner;
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
        this.runner = runner;
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
                runner.accept(job, cancellation);
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
