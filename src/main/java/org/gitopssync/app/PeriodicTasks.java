package org.gitopssync.app;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The daemon's timers (poll, pull request poll, Vault renewal): one small pool of daemon threads, started only by
 * the daemon, so a one-shot command loads no scheduler at all. A task runs again {@code interval} after its last
 * run ended, so it never overlaps itself; a task that throws is logged and keeps its schedule.
 */
final class PeriodicTasks implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PeriodicTasks.class);

    private final ScheduledThreadPoolExecutor pool;

    PeriodicTasks() {
        AtomicInteger n = new AtomicInteger();
        pool = new ScheduledThreadPoolExecutor(0, r -> {
            Thread t = new Thread(r, "gitops-sync-timer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code task} first after {@code firstAfter}, then {@code interval} after each run ends. */
    void every(String name, Duration interval, Duration firstAfter, Runnable task) {
        // a thread per task, so a slow pull request poll never holds the poll, and none for tasks not configured
        pool.setCorePoolSize(pool.getCorePoolSize() + 1);
        pool.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warnf("daemon: %s failed (it runs again in %s): %s", name, interval, e.getMessage());
            }
        }, firstAfter.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
