package org.gitopssync.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gitopssync.ci.AttributeResult;
import org.gitopssync.ci.CiException;
import org.gitopssync.ci.CiTarget;
import org.gitopssync.config.CiSettings;
import org.gitopssync.config.Settings;
import org.gitopssync.fleet.ReleasePublisher;
import org.gitopssync.fleet.ReleaseRecord;
import org.gitopssync.source.FetchedCommit;
import org.jboss.logging.Logger;

/**
 * {@code role = "builder"}: build every host of {@code ci.hosts} (all by default) and the checks, and once the caches
 * took the outputs, publish one signed release record per host whose system built. It deploys its own system only
 * when {@code ci.hosts} is a list that names its {@code hostname}.
 */
final class BuilderRole implements FleetRole {

    private static final Logger LOG = Logger.getLogger(BuilderRole.class);

    private final Settings settings;
    private final BuildStage build;
    private final ReleasePublisher publisher;
    private final Clock clock;

    BuilderRole(Settings settings, BuildStage build, ReleasePublisher publisher, Clock clock) {
        this.settings = settings;
        this.build = build;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Whether a builder also deploys: {@code ci.hosts} lists its own hostname. */
    static boolean deploysItself(Settings settings) {
        CiSettings.Hosts hosts = settings.ci().hosts();
        return hosts.mode() == CiSettings.Hosts.Mode.LIST && hosts.names().contains(settings.hostname());
    }

    @Override
    public boolean deploys() {
        return deploysItself(settings);
    }

    @Override
    public Deployable choose(CycleState cycle, FetchedCommit head) {
        return Deployable.of(head, build);
    }

    @Override
    public String publish(CycleState cycle, FetchedCommit target, BuildResult built) {
        if (cycle.request.dryRun()) {
            return "";
        }
        Instant builtAt = clock.instant();
        List<String> released = new ArrayList<>();
        for (Map.Entry<String, String> system : built.ci().systems().entrySet()) {
            cycle.checkCancelled();
            ReleaseRecord r = publisher.publish(system.getKey(), target.sha(), system.getValue(), settings.hostname(),
                    builtAt, cycle.cancellation);
            LOG.debugf("cycle %d: released %s at %s: %s", cycle.id, r.host(), target.shortSha(), r.system());
            released.add(r.host());
        }
        LOG.infof("cycle %d: release: %d record%s for %s", cycle.id, released.size(), released.size() == 1 ? "" : "s",
                target.shortSha());
        List<String> failed = built.ci().attributes().stream()
                .filter(a -> a.target().kind() == CiTarget.Kind.SYSTEM && !a.status().succeeded())
                .map(a -> a.target().name()).toList();
        if (!failed.isEmpty()) {
            throw new CiException("the systems of " + String.join(", ", failed) + " at " + target.shortSha()
                    + " did not build, so they have no release record (released: "
                    + (released.isEmpty() ? "none" : String.join(", ", released)) + "):\n"
                    + built.ci().attributes().stream().filter(a -> failed.contains(a.target().name())
                            && a.target().kind() == CiTarget.Kind.SYSTEM)
                            .map(AttributeResult::describeFailure).reduce((a, b) -> a + "\n" + b).orElse(""));
        }
        return "; released " + released.size() + " host" + (released.size() == 1 ? "" : "s") + ": "
                + String.join(", ", released);
    }
}
