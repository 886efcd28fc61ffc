package org.gitopssync.forge;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.gitopssync.Cancellation;
import org.gitopssync.Sleeper;
import org.jboss.logging.Logger;

/**
 * Delivers statuses to one forge from a single background thread: bounded, collapses updates for the same
 * repository+sha+context still waiting, retries outages and rate limits, and never throws to the submitter.
 * Each status is written to the {@link StatusOutbox} before it is sent and removed once the forge accepted
 * it, so what a process could not send (it died, it exited, the forge hung) is sent by the next one.
 */
public final class StatusQueue implements StatusSink, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StatusQueue.class);

    /** Queue limits and retry timing. */
    public record Settings(int capacity, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                           Duration maxWait) {
        public static Settings defaults() {
            return new Settings(1000, 8, Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofHours(1));
        }
    }

    /** Delivery counters since start. */
    public record Counters(long sent, long retried, long dropped, long superseded, int pending) {
    }

    private record Key(String repository, String sha, String context) {
    }

    /** {@code id} is the status's row in the outbox (negative when it could not be written). */
    private record Entry(Key key, RepositoryCoordinates repository, CommitStatus status, long id) {
    }

    private final StatusReporter reporter;
    private final Settings settings;
    private final RetryPolicy policy;
    private final Clock clock;
    private final Sleeper sleeper;
    private final StatusOutbox outbox;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private final LinkedHashMap<Key, Entry> pending = new LinkedHashMap<>();
    private Entry inFlight;
    private boolean closing;
    private boolean stopped;
    private Thread worker;
    private boolean degraded;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong superseded = new AtomicLong();

    public StatusQueue(StatusReporter reporter, Settings settings, Clock clock, Sleeper sleeper) {
        this(reporter, settings, clock, sleeper, StatusOutbox.NONE);
    }

    public StatusQueue(StatusReporter reporter, Settings settings, Clock clock, Sleeper sleeper, StatusOutbox outbox) {
        this.outbox = outbox;
        this.reporter = reporter;
        this.settings = settings;
        this.policy = new RetryPolicy(settings.maxAttempts(), settings.initialBackoff(), settings.maxBackoff(),
                settings.maxWait());
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public StatusQueue(StatusReporter reporter, StatusOutbox outbox) {
        this(reporter, Settings.defaults(), Clock.systemUTC(), Sleeper.SYSTEM, outbox);
    }

    /** Starts the delivery thread, first queueing what earlier processes left in the outbox. */
    public void start() {
        lock.lock();
        try {
            if (worker != null) {
                throw new IllegalStateException("status queue already started");
            }
            resumeStored();
            worker = new Thread(this::drain, "gitops-sync-status-" + reporter.forge().name().toLowerCase(Locale.ROOT));
            worker.setDaemon(true);
            worker.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues the statuses in the outbox that this queue does not hold yet (left by an earlier or
     * another process, or kept after a long outage); returns how many.
     */
    public int resumeStored() {
        List<StatusOutbox.Stored> stored;
        try {
            stored = outbox.stored();
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the status outbox: %s", e.getMessage());
            return 0;
        }
        int added = 0;
        lock.lock();
        try {
            for (StatusOutbox.Stored s : stored) {
                Key key = new Key(s.repository().fullName(), s.status().sha(), s.status().context());
                Entry held = pending.get(key);
                if ((held != null && held.id() >= s.id()) || (inFlight != null && inFlight.id() == s.id())) {
                    continue;
                }
                pending.put(key, new Entry(key, s.repository(), s.status(), s.id()));
                added++;
            }
            if (added > 0) {
                LOG.infof("%s: %d status%s left undelivered earlier, sending now", reporter.forge().displayName(),
                        added, added == 1 ? "" : "es");
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
        return added;
    }

    @Override
    public void submit(RepositoryCoordinates repository, CommitStatus status) {
        Key key = new Key(repository.fullName(), status.sha(), status.context());
        lock.lock();
        try {
            Entry entry = new Entry(key, repository, status, store(repository, status));
            if (closing) {
                dropped.incrementAndGet();
                tally(DeliveryResult.DROPPED, 1);
                LOG.warnf("status queue closed; %s %s for %s %s", status.context(), status.state(), repository,
                        entry.id() < 0 ? "dropped" : "kept in the outbox for the next run");
                return;
            }
            if (pending.containsKey(key)) {
                superseded.incrementAndGet();
            } else if (pending.size() >= settings.capacity()) {
                // Drop the oldest: newer statuses describe the commits people are looking at now.
                Iterator<Map.Entry<Key, Entry>> oldest = pending.entrySet().iterator();
                Entry lost = oldest.next().getValue();
                oldest.remove();
                dropped.incrementAndGet();
                tally(DeliveryResult.DROPPED, 1);
                LOG.warnf("status queue full (%d); dropped %s for %s@%s", settings.capacity(),
                        lost.status().context(), lost.repository(), lost.status().sha());
            }
            pending.put(key, entry);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    public Counters counters() {
        lock.lock();
        try {
            return new Counters(sent.get(), retried.get(), dropped.get(), superseded.get(),
                    pending.size() + (inFlight == null ? 0 : 1));
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until nothing is waiting or in flight (or the queue stopped). */
    public void awaitIdle() throws InterruptedException {
        lock.lock();
        try {
            requireStarted();
            while (!isIdle()) {
                idle.await();
            }
        } finally {
            lock.unlock();
        }
    }
    /** Refuses new statuses, delivers what is queued for up to {@code grace}, then stops and counts the rest as dropped. */
    public void close(Duration grace) {
        Thread running;
        lock.lock();
        try {
            closing = true;
            notEmpty.signalAll();
            running = worker;
        } finally {
            lock.unlock();
        }
        if (running == null) {
            return;
        }
        try {
            running.join(Math.max(1, grace.toMillis())); // join(0) would wait forever
            if (running.isAlive()) {
                running.interrupt();
                running.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private void requireStarted() {
        if (worker == null) {
            throw new IllegalStateException("status queue not started");
        }
    }

    private boolean isIdle() {
        return stopped || (pending.isEmpty() && inFlight == null);
    }

    private void drain() {
        try {
            while (true) {
                Entry next;
                lock.lock();
                try {
                    while (pending.isEmpty() && !closing) {
                        notEmpty.await();
                    }
                    if (pending.isEmpty()) {
                        return;
                    }
                    Iterator<Entry> first = pending.values().iterator();
                    next = first.next();
                    first.remove();
                    inFlight = next;
                } finally {
                    lock.unlock();
                }
                deliver(next);
                lock.lock();
                try {
                    inFlight = null;
                    if (pending.isEmpty()) {
                        idle.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            LOG.debug("status delivery interrupted");
        } finally {
            lock.lock();
            try {
                int lost = pending.size() + (inFlight == null ? 0 : 1);
                if (lost > 0) {
                    dropped.addAndGet(lost);
                    tally(DeliveryResult.DROPPED, lost);
                    LOG.warnf("status queue stopped with %d undelivered statuses%s", lost,
                            outbox == StatusOutbox.NONE ? "" : " (kept in the outbox: the next run sends them)");
                }
                pending.clear();
                inFlight = null;
                stopped = true;
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void deliver(Entry first) throws InterruptedException {
        Entry entry = first;
        for (int attempt = 1; ; attempt++) {
            // asked before every attempt: another process may have written a newer status meanwhile
            if (!stillCurrent(entry)) {
                superseded.incrementAndGet();
                return;
            }
            try {
                reporter.report(entry.repository(), entry.status());
                sent.incrementAndGet();
                tally(DeliveryResult.DELIVERED, 1);
                unstore(entry);
                recovered();
                return;
            } catch (ForgeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                Optional<Duration> wait = policy.nextWait(e.retryAdvice(), attempt, clock.instant());
                if (wait.isEmpty()) {
                    dropped.incrementAndGet();
                    tally(DeliveryResult.FAILED, 1);
                    boolean refused = !e.isTransient();
                    if (refused) {
                        unstore(entry);
                    }
                    LOG.warnf("dropped status %s %s after %d attempt(s)%s: %s", entry.status().context(),
                            entry.status().state(), attempt,
                            refused || entry.id() < 0 ? "" : " (kept in the outbox for the next run)", e.getMessage());
                    return;
                }
                retried.incrementAndGet();
                outage(e, wait.get());
                sleeper.sleep(wait.get(), Cancellation.none());
                entry = newestFor(entry);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException(); // stopping: the status stays in the outbox
                }
                // A bug in a reporter must not kill the only delivery thread.
                dropped.incrementAndGet();
                tally(DeliveryResult.FAILED, 1);
                unstore(entry);
                LOG.errorf(e, "dropped status %s for %s: unexpected failure", entry.status().context(),
                        entry.repository());
                return;
            }
        }
    }

    /** Writes to the outbox before sending; a failing database costs durability, never the status. */
    private long store(RepositoryCoordinates repository, CommitStatus status) {
        try {
            return outbox.write(repository, status);
        } catch (RuntimeException e) {
            LOG.warnf("cannot write %s to the status outbox (sending it anyway): %s", status.context(), e.getMessage());
            return -1;
        }
    }

    /** Counts a result for the metrics; a failing database costs a count, never the status. */
    private void tally(DeliveryResult result, long n) {
        try {
            outbox.tally(result, n);
        } catch (RuntimeException e) {
            LOG.debugf("cannot count a %s status: %s", result.word(), e.getMessage());
        }
    }

    private void unstore(Entry entry) {
        if (entry.id() < 0) {
            return;
        }
        try {
            outbox.remove(entry.id());
        } catch (RuntimeException e) {
            LOG.warnf("cannot remove %s from the status outbox (it may be sent again): %s", entry.status().context(),
                    e.getMessage());
        }
    }

    /** Whether another process already sent this row, or a newer status for its key replaced it. */
    private boolean stillCurrent(Entry entry) {
        try {
            return entry.id() < 0 || outbox.isCurrent(entry.id());
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** A newer update for the same context that arrived while we waited replaces the one being retried. */
    private Entry newestFor(Entry entry) {
        lock.lock();
        try {
            Entry newer = pending.remove(entry.key());
            if (newer == null) {
                return entry;
            }
            superseded.incrementAndGet();
            inFlight = newer;
            return newer;
        } finally {
            lock.unlock();
        }
    }

    private void outage(ForgeException e, Duration wait) {
        if (!degraded) {
            degraded = true;
            LOG.warnf("%s status delivery failing, retrying in %s: %s", reporter.forge().displayName(), wait,
                    e.getMessage());
        } else {
            LOG.debugf("retrying in %s: %s", wait, e.getMessage());
        }
    }

    private void recovered() {
        if (degraded) {
            degraded = false;
            LOG.infof("%s status delivery recovered", reporter.forge().displayName());
        }
    }
}
