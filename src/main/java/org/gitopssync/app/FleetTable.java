package org.gitopssync.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.gitopssync.cache.DestinationGuard;
import org.gitopssync.cache.HostResolver;
import org.gitopssync.config.FleetSettings;
import org.gitopssync.config.Settings;
import org.gitopssync.fleet.FleetStatus;
import org.gitopssync.fleet.ReleaseStore;
import org.jboss.logging.Logger;

/**
 * The fleet table on a builder's status page, as {@code fleet status} prints it; read again at most once a
 * {@link #FRESH}, since it asks the forge once per recent commit. The read runs on a thread of its own: the page
 * is served on the web server's one event loop, which forge or release-store calls must never hold up. A page
 * shows the last table read (none until the first read ends); a read that fails keeps the previous table.
 */
final class FleetTable implements Supplier<Optional<FleetStatus.Report>> {

    private static final Logger LOG = Logger.getLogger(FleetTable.class);
    static final Duration FRESH = Duration.ofMinutes(1);

    private final Settings settings;
    private final FleetStatus fleet;
    private final Optional<ReleaseStore> releases;
    private final Clock clock;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fleet-table");
        t.setDaemon(true);
        return t;
    });
    private Instant readAt;
    private volatile Optional<FleetStatus.Report> last = Optional.empty();

    FleetTable(Settings settings, FleetStatus fleet, Optional<ReleaseStore> releases, Clock clock) {
        this.settings = settings;
        this.fleet = fleet;
        this.releases = releases;
        this.clock = clock;
    }

    /** A builder's table over the agent's clone, release store and forge; no section for any other role. */
    static Supplier<Optional<FleetStatus.Report>> of(Agent agent) {
        Settings settings = agent.settings();
        if (settings.fleet().role() != FleetSettings.Role.BUILDER || settings.fleet().releases() == null) {
            return Optional::empty;
        }
        Optional<ReleaseStore> releases = Optional.of(ReleaseStore.open(settings.fleet(), agent.credentials(),
                new DestinationGuard(HostResolver.SYSTEM)));
        FleetStatus fleet = new FleetStatus(agent.source(), releases, agent.forges().isEmpty() ? Optional.empty()
                : Optional.of(agent.forges()::statusesOf));
        return new FleetTable(settings, fleet, releases, Clock.systemUTC());
    }

    @Override
    public Optional<FleetStatus.Report> get() {
        synchronized (this) {
            Instant now = clock.instant();
            if (readAt == null || !now.isBefore(readAt.plus(FRESH))) {
                readAt = now;
                reader.execute(this::read);
            }
        }
        return last;
    }

    private void read() {
        try {
            List<String> hosts = FleetStatus.hostsOf(settings, List.of(), releases);
            last = Optional.of(fleet.read(settings.repository().ref(), hosts));
        } catch (RuntimeException e) {
            // a GitopsException says why; anything else must not kill the reader either
            LOG.debugf("status page: fleet table not refreshed: %s", e.getMessage());
        }
    }
}
