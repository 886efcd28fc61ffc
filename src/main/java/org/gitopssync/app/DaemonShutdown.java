package org.gitopssync.app;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.gitopssync.reconcile.CycleScheduler;
import org.jboss.logging.Logger;

/**
 * Stops the daemon's cycles when Quarkus shuts down (SIGTERM): inside Quarkus's own shutdown, so
 * the running build is cancelled and recorded while logging and the database are still up.
 */
@ApplicationScoped
public class DaemonShutdown {

    private static final Logger LOG = Logger.getLogger(DaemonShutdown.class);
    static final Duration GRACE = Duration.ofMinutes(2);

    private final AtomicReference<CycleScheduler> cycles = new AtomicReference<>();

    void register(CycleScheduler scheduler) {
        cycles.set(scheduler);
    }

    void onStop(@Observes ShutdownEvent event) {
        CycleScheduler c = cycles.getAndSet(null);
        if (c != null) {
            LOG.info("daemon: stopping");
            c.shutdown(GRACE);
        }
    }
}
