package org.gitopssync.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.gitopssync.config.Settings;
import org.gitopssync.deploy.PendingReboot;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.DeploymentRecord;
import org.gitopssync.state.Quarantine;
import org.gitopssync.state.Quarantines;
import org.gitopssync.state.SourceMark;
import org.gitopssync.state.StateStore;
import org.gitopssync.state.Suspension;
import org.gitopssync.state.Suspensions;

/**
 * What {@code status} shows: the deployed commit and generation, the running system, recent cycles, quarantined
 * commits, a suspension (and the drift behind it), a reboot the deployed system waits for.
 */
public record HostStatus(
        String host,
        String repository,
        String branch,
        DeploymentRecord deployed,
        Integer profileGeneration,
        String runningSystem,
        boolean runningMatchesDeployed,
        SourceMark lastSeen,
        SourceMark trustedBase,
        CycleRecord lastCycle,
        List<CycleRecord> recentCycles,
        List<Quarantine> quarantined,
        Suspension suspension,
        RebootNeeded rebootNeeded) {

    /** A deployed system made the boot default that the host has not booted yet. */
    public record RebootNeeded(String commit, String system, Integer generation, Instant since, boolean requested) {
    }

    /** Reads the state store and the profile; takes no lock and changes nothing. */
    public static HostStatus read(Settings settings, StateStore store, int history) {
        SystemProfile profile = new SystemProfile(settings.deploy().profile(), settings.deploy().currentSystem());
        Optional<DeploymentRecord> deployed = store.lastSuccessfulDeployment();
        Optional<String> running = profile.running();
        List<CycleRecord> recent = store.recentCycles(history);
        return new HostStatus(
                settings.hostname(),
                settings.repository().url(),
                settings.repository().branch(),
                deployed.orElse(null),
                profile.current().map(SystemProfile.Generation::number).orElse(null),
                running.orElse(null),
                deployed.isPresent() && running.isPresent() && deployed.get().outPath().equals(running.get()),
                store.mark(SourceMark.LAST_SEEN).orElse(null),
                store.mark(SourceMark.TRUSTED_BASE).orElse(null),
                recent.isEmpty() ? null : recent.get(0),
                recent,
                new Quarantines(store).all(),
                new Suspensions(store).current().orElse(null),
                store.mark(SourceMark.REBOOT_PENDING).map(HostStatus::rebootNeeded).orElse(null));
    }

    private static RebootNeeded rebootNeeded(SourceMark mark) {
        PendingReboot p = PendingReboot.decode(mark.note());
        return new RebootNeeded(mark.commit(), p.outPath(), p.generation(), mark.updatedAt(), p.requested());
    }
}
