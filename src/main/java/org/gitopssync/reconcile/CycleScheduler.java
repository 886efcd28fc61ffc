package org.gitopssync.reconcile;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.gitopssync.Cancellation;
import org.gitopssync.state.LockHeldException;
import org.jboss.logging.Logger;

/**
 * Runs the daemon's cycles one at a time: scheduled polls (after a random delay, like systemd's
 * RandomizedDelaySec, so a fleet does not hit the forge at once) and immediate requests from
 * webhooks. A request made while a cycle runs is remembered and run right after it; one that finds
 * the lock held by another process (a manual or timer cycle) runs as soon as that process lets go.
 */
public final class CycleScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CycleScheduler.class);

    private final Reconciler reconciler;
    private final Duration randomizedDelay;
    private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor(
            r -> daemonThread(r, "cycle-delay"));
    private final ExecutorService cycles = Executors.newSingleThreadExecutor(r -> daemonThread(r, "cycle"));
    private final ExecutorService lockWait = Executors.newSingleThreadExecutor(r -> daemonThread(r, "cycle-lock-wait"));
    private final AtomicBoolean waitingForLock = new AtomicBoolean();
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicReference<Cancellation> running = new AtomicReference<>();
    private final AtomicReference<CycleReport> last = new AtomicReference<>();
    private final Consumer<CycleReport> afterCycle;
    private volatile boolean stopping;

    public CycleScheduler(Reconciler reconciler, Duration randomizedDelay) {
        this(reconciler, randomizedDelay, report -> { });
    }

    /** With {@code afterCycle} told every recorded cycle's report, on the cycle's thread before the next cycle. */
    public CycleScheduler(Reconciler reconciler, Duration randomizedDelay, Consumer<CycleReport> afterCycle) {
        this.reconciler = reconciler;
        this.randomizedDelay = randomizedDelay;
        this.afterCycle = afterCycle;
    }

    /** A poll tick: run a cycle after a random delay in [0, randomized_delay). */
    public void requestScheduled() {
        if (stopping) {
            return;
        }
        long maxMillis = randomizedDelay.toMillis();
        long delay = maxMillis <= 0 ? 0 : ThreadLocalRandom.current().nextLong(maxMillis);
        try {
            delays.schedule(() -> request(Trigger.SCHEDULE), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // a poll tick racing the shutdown: stopping is not an error
            LOG.debug("poll tick after shutdown ignored");
        }
    }

    /** Runs a cycle as soon as the current one (if any) is done; duplicate requests collapse into one. */
    public void request(Trigger trigger) {
        if (stopping || !queued.compareAndSet(false, true)) {
            return;
        }
        try {
            cycles.submit(() -> runCycle(trigger));
        } catch (RejectedExecutionException e) {
            // a request racing the shutdown: stopping is not an error
            LOG.debugf("%s cycle after shutdown ignored", trigger.word());
        }
    }

    private void runCycle(Trigger trigger) {
        queued.set(false);
        if (stopping) {
            return;
        }
        Cancellation cancellation = new Cancellation();
        running.set(cancellation);
        try {
            CycleReport report = reconciler.run(CycleRequest.of(trigger), cancellation);
            last.set(report);
            afterCycle.accept(report);
        } catch (LockHeldException e) {
            runWhenLockFree(trigger, e);
        } catch (RuntimeException | Error e) {
            LOG.errorf("cycle could not run: %s", e.getMessage());
            LOG.debug("cycle could not run", e);
        } finally {
            running.set(null);
        }
    }

    /** Another process holds the lock: wait for it on a thread of its own, then run the cycle. */
    private void runWhenLockFree(Trigger trigger, LockHeldException held) {
        if (stopping || !waitingForLock.compareAndSet(false, true)) {
            LOG.debugf("%s cycle folded into the one already waiting for the lock", trigger.word());
            return;
        }
        LOG.infof("%s cycle waits: %s; it runs as soon as the lock is free", trigger.word(), held.getMessage());
        try {
            lockWait.submit(() -> {
                try {
                    reconciler.awaitLockFree();
                    waitingForLock.set(false);
                    request(trigger);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warnf("cannot wait for the cycle lock; the next poll runs the cycle: %s", e.getMessage());
                } finally {
                    waitingForLock.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            waitingForLock.set(false); // shutting down
        }
    }

    /**
     * A push moved the branch to {@code sha}: a running cycle for an older commit is cancelled (its
     * build stops; an activation already under way finishes) and a cycle for the new head follows.
     */
    public void supersede(String sha, boolean cancelRunning) {
        Cancellation c = running.get();
        String target = reconciler.currentTarget().orElse(null);
        if (cancelRunning && c != null && target != null && !target.equals(sha)) {
            LOG.infof("cycle for %s superseded by a push of %s", Reconciler.abbrev(target), Reconciler.abbrev(sha));
            c.cancel("superseded by " + sha);
        }
        request(Trigger.WEBHOOK);
    }

    /** Whether a cycle waits for another process to release the cycle lock. */
    public boolean waitingForLock() {
        return waitingForLock.get();
    }

    /** The report of the last cycle this daemon ran. */
    public Optional<CycleReport> lastReport() {
        return Optional.ofNullable(last.get());
    }

    /**
     * Stops scheduling, cancels a running build (activation in progress is allowed to finish: a
     * half-activated system is worse than a late shutdown) and waits up to {@code grace}.
     */
    public void shutdown(Duration grace) {
        stopping = true;
        delays.shutdownNow();
        lockWait.shutdownNow();
        Cancellation c = running.get();
        if (c != null) {
            LOG.info("stopping: cancelling the running cycle");
            c.cancel("the daemon is stopping");
        }
        cycles.shutdown();
        try {
            if (!cycles.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("the running cycle did not stop within %s", grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(30));
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
