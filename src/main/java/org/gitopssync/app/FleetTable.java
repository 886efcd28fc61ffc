package org.gitopssync.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.gitopssync.GitopsException;
import org.gitopssync.cache.DestinationGuard;
import org.gitopssync.cache.HostResolver;
import org.gitopssync.config.FleetSettings;
import org.gitopssync.config.Settings;
import org.gitopssync.fleet.FleetStatus;
import org.gitopssync.fleet.ReleaseStore;
import org.jboss.logging.Logger;

/**
 * The fleet table on a builder's status page, as {@code fleet status} prints it; read again at most once a
 * {@link #FRESH}, since it asks the forge once per recent commit. A read that fails keeps the previous table.
 */
final class FleetTable implements Supplier<Optional<FleetStatus.Report>> {

    private static final Logger LOG = Logger.getLogger(FleetTable.class);
    static final Duration FRESH = Duration.ofMinutes(1);

    private final Settings settings;
    private final FleetStatus fleet;
    private final Optional<ReleaseStore> releases;
    private final Clock clock;
    private Instant readAt;
    private Optional<FleetStatus.Report> last = Optional.empty();

    private FleetTable(Settings settings, FleetStatus fleet, Optional<ReleaseStore> releases, Clock clock) {
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
    public synchronized Optional<FleetStatus.Report> get() {
        Instant now = clock.instant();
        if (readAt == null || !now.isBefore(readAt.plus(FRESH))) {
            readAt = now;
            try {
                List<String> hosts = FleetStatus.hostsOf(settings, List.of(), releases);
                last = Optional.of(fleet.read(settings.repository().ref(), hosts));
            } catch (GitopsException e) {
                LOG.debugf("status page: fleet table not refreshed: %s", e.getMessage());
            }
        }
        return last;
    }
}
