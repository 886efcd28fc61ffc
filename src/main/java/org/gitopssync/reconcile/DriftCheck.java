package org.gitopssync.reconcile;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.gitopssync.config.DeploySettings.OnDrift;
import org.gitopssync.config.HostEvent;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.state.DeploymentRecord;
import org.gitopssync.state.StateStore;
import org.gitopssync.state.Suspension;
import org.gitopssync.state.Suspensions;
import org.jboss.logging.Logger;

/**
 * Notices that the host runs a system the agent did not deploy (someone ran {@code nixos-rebuild}
 * by hand) and, per {@code deploy.on_drift}, suspends the agent or only reports it. A drift is
 * reported once: the running system is remembered until it changes again or {@code resume} accepts it.
 */
final class DriftCheck {

    private static final Logger LOG = Logger.getLogger(DriftCheck.class);
    /** Enough history to get past failed attempts and a boot-only deployment to the last activation. */
    private static final int HISTORY = 20;
    static final String SUSPENDED_BY = "gitops-sync (drift detected)";

    private final StateStore store;
    private final SystemProfile profile;
    private final OnDrift onDrift;
    private final Clock clock;

    DriftCheck(StateStore store, SystemProfile profile, OnDrift onDrift, Clock clock) {
        this.store = store;
        this.profile = profile;
        this.onDrift = onDrift;
        this.clock = clock;
    }

    /** Checks the running system; returns the suspension in force afterwards, if any. */
    Optional<Suspension> check(CycleState cycle) {
        Optional<Suspension> suspension = new Suspensions(store).current();
        Optional<String> running = profile.running();
        Optional<DeploymentRecord> deployed = store.lastSuccessfulDeployment();
        if (running.isEmpty() || deployed.isEmpty()) {
            // nothing deployed yet: whatever the host runs was installed before the agent took over
            return suspension;
        }
        if (running.get().equals(deployed.get().outPath())) {
            // what every poll finds: the last successful activation's system is one expectedSystems() allows, and
            // with no activation that ran its system on record, nothing is a drift either
            return suspension;
        }
        Optional<Set<String>> known = expectedSystems();
        if (known.isEmpty()) {
            // only boot deployments since the agent took over: what ran before them is not on record
            return suspension;
        }
        Set<String> expected = known.get();
        if (expected.contains(running.get()) || new Suspensions(store).driftSeen().filter(running.get()::equals).isPresent()) {
            return suspension;
        }
        DeploymentRecord last = deployed.get();
        String what = "the host runs " + running.get() + ", not " + last.outPath() + " which gitops-sync deployed from "
                + Reconciler.abbrev(last.commit()) + " (changed by hand, e.g. nixos-rebuild?)";
        new Suspensions(store).setDriftSeen(running.get(), clock.instant());
        cycle.events.add(new CycleEvent(HostEvent.DRIFT, cycle.id, last.commit(), last.generation(), running.get(),
                what));
        if (onDrift == OnDrift.DEPLOY) {
            LOG.warnf("cycle %d: drift: %s; deploy.on_drift = \"deploy\": carrying on", cycle.id, what);
            return suspension;
        }
        if (suspension.isPresent()) {
            LOG.warnf("cycle %d: drift: %s; already suspended", cycle.id, what);
            return suspension;
        }
        Suspension s = new Suspension(SUSPENDED_BY, clock.instant(), "drift: " + what, last.outPath(), running.get());
        new Suspensions(store).suspend(s);
        LOG.warnf("cycle %d: drift: %s; suspended: nothing is deployed until `gitops-sync resume`", cycle.id, what);
        return Optional.of(s);
    }

    /**
     * The systems the host may legitimately run: the last successful deployment's, the one active
     * before it when that was a {@code boot} (no reboot yet), and any later failed attempt's (a
     * failed activation or rollback may have left the host on it). Empty when no successful activation
     * that ran its system is in the history (only {@code boot}s): the system running before them is unknown.
     */
    private Optional<Set<String>> expectedSystems() {
        Set<String> out = new LinkedHashSet<>();
        for (DeploymentRecord d : store.recentDeployments(HISTORY)) {
            if (!d.operation().equals("switch") && !d.operation().equals("boot") && !d.operation().equals("test")) {
                continue;
            }
            out.add(d.outPath());
            if (d.status() == DeploymentRecord.Status.SUCCEEDED && !d.operation().equals("boot")) {
                return Optional.of(out);
            }
        }
        return Optional.empty();
    }
}
