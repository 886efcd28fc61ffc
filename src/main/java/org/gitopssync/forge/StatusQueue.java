package org.gitopssync.forge;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Delivers statuses to one forge from a single background thread: bounded, collapses updates for the same
 * repository+sha+context still waiting, retries outages and rate limits, and never throws to the submitter.
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

    private record Entry(Key key, RepositoryCoordinates repository, CommitStatus status) {
    }

    private final StatusReporter reporter;
    private final Settings settings;
    private final RetryPolicy policy;
    private final Clock clock;
    private final Sleeper sleeper;

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
        this.reporter = reporter;
        this.settings = settings;
        this.policy = new RetryPolicy(settings.maxAttempts(), settings.initialBackoff(), settings.maxBackoff(),
                settings.maxWait());
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public StatusQueue(StatusReporter reporter) {
        this(reporter, Settings.defaults(), Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /** Starts the delivery thread; statuses submitted before wait for it. */
    public void start() {
        lock.lock();
        try {
            if (worker != null) {
                throw new IllegalStateException("status queue already started");
            }
            worker = new Thread(this::drain, "gitops-sync-status-" + reporter.forge().name().toLowerCase(Locale.ROOT));
            worker.setDaemon(true);
            worker.start();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void submit(RepositoryCoordinates repository, CommitStatus status) {
        Key key = new Key(repository.fullName(), status.sha(), status.context());
        Entry entry = new Entry(key, repository, status);
        lock.lock();
        try {
            if (closing) {
                dropped.incrementAndGet();
                LOG.warnf("status queue closed; dropped %s %s for %s", status.context(), status.state(), repository);
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
            running.join(grace.toMillis());
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
                    LOG.warnf("status queue stopped with %d undelivered statuses", lost);
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
            try {
                reporter.report(entry.repository(), entry.status());
                sent.incrementAndGet();
                recovered();
                return;
            } catch (ForgeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                Optional<Duration> wait = policy.nextWait(e.retryAdvice(), attempt, clock.instant());
                if (wait.isEmpty()) {
                    dropped.incrementAndGet();
                    LOG.warnf("dropped status %s %s after %d attempt(s): %s", entry.status().context(),
                            entry.status().state(), attempt, e.getMessage());
                    return;
                }
                retried.incrementAndGet();
                outage(e, wait.get());
                sleeper.sleep(wait.get());
                entry = newestFor(entry);
            } catch (RuntimeException e) {
                // A bug in a reporter must not kill the only delivery thread.
                dropped.incrementAndGet();
                LOG.errorf(e, "dropped status %s for %s: unexpected failure", entry.status().context(),
                        entry.repository());
                return;
            }
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
