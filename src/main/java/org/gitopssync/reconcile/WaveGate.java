package org.gitopssync.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.gitopssync.config.SystemdDuration;
import org.gitopssync.config.WaveSettings;
import org.gitopssync.forge.ForgeException;
import org.gitopssync.forge.PostedStatus;
import org.gitopssync.forge.StatusContexts;
import org.gitopssync.source.FetchedCommit;
import org.gitopssync.state.CycleOutcome;
import org.jboss.logging.Logger;

/**
 * {@code [fleet] after} and {@code soak}: a commit is deployed here only once the forge shows
 * {@code gitops-sync/deploy/<host>} = success on it for every listed host, posted at least
 * {@code soak} ago. Until then the cycle waits (the next one asks again); a listed host's failure
 * stops the wave: this host never takes that commit, and a newer commit starts a new wave.
 */
final class WaveGate {

    private static final Logger LOG = Logger.getLogger(WaveGate.class);
    /** How a waiting cycle's summary begins: the pending deploy status shows this part. */
    static final String WAITING_FOR = "waiting for ";

    private final WaveSettings settings;
    private final CommitStatuses statuses;
    private final HandledCommits handled;
    private final Clock clock;

    WaveGate(WaveSettings settings, CommitStatuses statuses, HandledCommits handled, Clock clock) {
        this.settings = settings;
        this.statuses = statuses;
        this.handled = handled;
        this.clock = clock;
    }

    /** The cycle's end when {@code target} may not be deployed yet (or ever); empty when the wave has reached this host. */
    Optional<CycleReport> hold(CycleState cycle, FetchedCommit target) {
        if (!settings.gated()) {
            return Optional.empty();
        }
        String hosts = String.join(", ", settings.after());
        List<PostedStatus> shown;
        try {
            shown = statuses.of(target.sha());
        } catch (ForgeException e) {
            LOG.infof("cycle %d: wave: waiting for %s: the forge cannot be read: %s", cycle.id, hosts, e.getMessage());
            return Optional.of(cycle.report(CycleOutcome.WAITING, WAITING_FOR + hosts
                    + ": the forge's deploy statuses of " + target.shortSha() + " cannot be read (" + e.getMessage()
                    + "); nothing deployed, the next cycle asks again"));
        }
        Map<String, PostedStatus> byContext = new HashMap<>();
        shown.forEach(s -> byContext.put(s.context(), s));
        List<String> waiting = new ArrayList<>();
        List<String> details = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String host : settings.after()) {
            PostedStatus s = byContext.get(StatusContexts.deploy(host));
            if (s == null) {
                waiting.add(host);
                details.add(host + " has not reported a deploy of it");
                continue;
            }
            switch (s.state()) {
                case FAILURE, ERROR -> failed.add(host + " reported " + word(s) + quoted(s.description()));
                case PENDING, RUNNING -> {
                    waiting.add(host);
                    details.add(host + " is pending" + quoted(s.description()));
                }
                case SUCCESS -> {
                    Duration age = Duration.between(s.at(), clock.instant());
                    if (age.compareTo(settings.soak()) < 0) {
                        waiting.add(host);
                        details.add(host + " deployed it " + ago(age) + ", soak is "
                                + SystemdDuration.format(settings.soak()) + " (until " + s.at().plus(settings.soak())
                                .truncatedTo(ChronoUnit.SECONDS) + ")");
                    }
                }
                default -> throw new IllegalStateException("unknown status state " + s.state());
            }
        }
        if (!failed.isEmpty()) {
            String why = "the wave stopped: " + String.join("; ", failed);
            handled.handled(target, why);
            LOG.infof("cycle %d: wave: %s is not deployed here: %s", cycle.id, target.shortSha(), why);
            return Optional.of(cycle.report(CycleOutcome.REFUSED, target.shortSha()
                    + " is not deployed here: " + why + "; staying on the deployed commit until a newer commit starts"
                    + " a new wave"));
        }
        if (!waiting.isEmpty()) {
            String summary = WAITING_FOR + String.join(", ", waiting) + ": " + String.join("; ", details)
                    + "; nothing deployed, the next cycle checks again";
            LOG.infof("cycle %d: wave: %s", cycle.id, summary);
            return Optional.of(cycle.report(CycleOutcome.WAITING, summary));
        }
        LOG.infof("cycle %d: wave: %s deployed %s at least %s ago; deploying here", cycle.id, hosts,
                target.shortSha(), SystemdDuration.format(settings.soak()));
        return Optional.empty();
    }

    private static String word(PostedStatus s) {
        return s.state().name().toLowerCase(Locale.ROOT);
    }

    private static String quoted(String description) {
        return description == null || description.isBlank() ? "" : " (\"" + description + "\")";
    }

    private static String ago(Duration age) {
        Duration d = age.isNegative() ? Duration.ZERO : age.truncatedTo(ChronoUnit.SECONDS);
        return d.isZero() ? "just now" : SystemdDuration.format(d) + " ago";
    }
}
