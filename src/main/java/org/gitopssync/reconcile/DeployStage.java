package org.gitopssync.reconcile;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.gitopssync.Cancellation;
import org.gitopssync.ci.BuiltSystem;
import org.gitopssync.config.DeploySettings.Operation;
import org.gitopssync.config.HostEvent;
import org.gitopssync.config.Settings;
import org.gitopssync.deploy.Activation;
import org.gitopssync.deploy.ActivationRequest;
import org.gitopssync.deploy.Deployer;
import org.gitopssync.deploy.PendingReboot;
import org.gitopssync.deploy.ProbeOutcome;
import org.gitopssync.deploy.RebootCheck;
import org.gitopssync.deploy.RebootPlan;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.secrets.install.SecretsStage;
import org.gitopssync.source.FetchedCommit;
import org.gitopssync.source.GitSource;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.DeploymentRecord;
import org.gitopssync.state.Quarantine;
import org.gitopssync.state.Quarantines;
import org.gitopssync.state.SourceMark;
import org.gitopssync.state.StateStore;
import org.jboss.logging.Logger;

/**
 * The cycle's DEPLOY stage: nothing for dry runs and {@code operation = build}, no activation when
 * the host already runs the system, otherwise secrets go live, the system is activated, and both
 * are rolled back together if activation fails.
 */
final class DeployStage {

    private static final Logger LOG = Logger.getLogger(DeployStage.class);
    private static final String INTERRUPTED = "the agent stopped during the health gate of ";
    private static final String SECRETS_BEFORE = "; secrets before: ";

    private final Settings settings;
    private final StateStore store;
    private final GitSource source;
    private final Deployer deployer;
    private final SystemProfile profile;
    private final HandledCommits handled;
    private final RebootCheck reboots;
    private final SecretsStage secrets;
    private final Clock clock;

    DeployStage(Settings settings, StateStore store, GitSource source, Deployer deployer, SystemProfile profile,
            HandledCommits handled, RebootCheck reboots, SecretsStage secrets, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.source = source;
        this.deployer = deployer;
        this.profile = profile;
        this.handled = handled;
        this.reboots = reboots;
        this.secrets = secrets;
        this.clock = clock;
    }

    CycleReport run(CycleState cycle, FetchedCommit target, BuiltSystem system, String flakeRef, StageNotes notes) {
        Operation op = settings.deploy().operation();
        String out = system.outPath();
        boolean running = profile.replacedBy(op).filter(out::equals).isPresent();
        if (cycle.request.dryRun()) {
            return cycle.report(CycleOutcome.BUILT, "dry run: built " + target.shortSha() + " -> " + out + "; would "
                    + op.word() + (running ? " (no change: the host already runs it)" : "") + notes.secrets()
                    + notes.cache());
        }
        if (op == Operation.BUILD) {
            handled.handled(target, "built in cycle " + cycle.id);
            return cycle.report(CycleOutcome.BUILT, "built " + target.shortSha() + " -> " + out
                    + " (deploy.operation = build)" + notes.cache());
        }
        if (op != Operation.DRY_ACTIVATE && running) {
            // the system is the same, but the commit may still change secrets: those go live on their own
            boolean newSecrets = cycle.secrets.pending();
            cycle.secrets.switchLive();
            String secretsNote = cycle.secrets.finish(op.activates(), cycle.log);
            if (newSecrets) {
                wentLive(target, SourceMark.SECRETS_WENT_LIVE + " in cycle " + cycle.id);
            }
            handled.handled(target, "up to date in cycle " + cycle.id);
            return cycle.report(CycleOutcome.UP_TO_DATE, target.shortSha() + " builds " + out
                    + ", which the host already runs; nothing to activate" + note(secretsNote) + notes.cache());
        }
        // activating a new kernel's userspace on the old kernel is how hosts break: such a system waits for a boot
        RebootPlan reboot = op == Operation.SWITCH ? reboots.plan(Path.of(out)) : RebootPlan.none();
        if (reboot.needed()) {
            op = Operation.BOOT;
            LOG.infof("cycle %d: deploy: %s; boot instead of switch", cycle.id, reboot.describe());
        }
        LOG.infof("cycle %d: deploy: %s %s via %s", cycle.id, op.word(), out, deployer.method());
        Instant started = clock.instant();
        boolean gated = op == Operation.SWITCH && settings.deploy().health().enabled();
        if (gated) {
            // what the secrets switch replaces, so a cycle finding this mark after a crash can switch back
            store.setMark(SourceMark.GATE_PENDING, target.sha(), "health gate of cycle " + cycle.id
                    + cycle.secrets.replaces().map(g -> SECRETS_BEFORE + g).orElse(""), started);
        }
        cycle.secrets.switchLive();
        // the secrets go back before the previous system runs again, so the units it restarts read the old ones
        String[] revertedNote = {null};
        Runnable revertSecrets = () -> {
            if (revertedNote[0] == null) {
                revertedNote[0] = cycle.secrets.revert();
            }
        };
        // activation is never interrupted: a half-activated system is worse than a late shutdown
        Activation activation = deployer.activate(new ActivationRequest(settings.hostname(), out, flakeRef, op,
                cycle.log, revertSecrets), Cancellation.none());
        if (gated) {
            store.clearMark(SourceMark.GATE_PENDING);
        }
        store.recordDeployment(new DeploymentRecord(0, cycle.id, target.sha(), op.word(), deployer.method(), out,
                activation.generation(), DeploymentRecord.Status.fromWord(activation.status().word()), activation.error(), started,
                clock.instant()));
        cycle.generation = activation.generation();
        if (!activation.succeeded()) {
            revertSecrets.run();
            String reverted = revertedNote[0];
            if (activation.rolledBackByGate()) {
                return quarantine(cycle, target, activation, reverted);
            }
            handled.handled(target, "activation failed in cycle " + cycle.id);
            return cycle.report(CycleOutcome.FAILED, activation.error() + note(reverted));
        }
        String secretsNote = cycle.secrets.finish(op.activates(), cycle.log);
        handled.handled(target, "deployed in cycle " + cycle.id);
        if (op == Operation.DRY_ACTIVATE) {
            return cycle.report(CycleOutcome.BUILT, "dry-activate of " + target.shortSha() + " -> " + out
                    + " reported in " + cycle.log + notes.secrets());
        }
        source.pin(GitSource.DEPLOYED_REF, target.sha());
        wentLive(target, "deployed in cycle " + cycle.id);
        return cycle.report(CycleOutcome.DEPLOYED, "deployed " + target.shortSha() + " \"" + target.subject() + "\": "
                + op.word() + (activation.generation() == null ? "" : " to generation " + activation.generation())
                + " (" + out + ")" + note(secretsNote) + note(rebootNote(cycle, target, reboot, activation))
                + notes.cache());
    }

    /** Remembers a system waiting for its boot and reboots into it when allowed; the summary's words for it. */
    private String rebootNote(CycleState cycle, FetchedCommit target, RebootPlan reboot, Activation activation) {
        if (!reboot.needed()) {
            // a newer system that boots the running kernel supersedes one that was waiting for a reboot
            store.clearMark(SourceMark.REBOOT_PENDING);
            return "";
        }
        PendingReboot pending = new PendingReboot(cycle.outPath, activation.generation(), reboots.booted().orElse(null));
        store.setMark(SourceMark.REBOOT_PENDING, target.sha(),
                (reboot.rebootNow() ? pending.asRequested() : pending).encode(), clock.instant());
        cycle.emit(HostEvent.REBOOT_NEEDED, cycle.outPath, "");
        if (!reboot.rebootNow()) {
            return reboot.describe() + ": " + reboot.why();
        }
        String done = reboots.reboot(cycle.log);
        LOG.infof("cycle %d: deploy: %s", cycle.id, done);
        return reboot.describe() + "; " + done;
    }

    /**
     * What became of a system that was waiting for a reboot, once the machine booted something else than before:
     * said once, then forgotten. While it still waits, the first cycle inside the reboot window that
     * {@code mayReboot} (not suspended, not a dry run) runs the reboot command, once.
     */
    Optional<String> bootOutcome(boolean mayReboot) {
        Optional<SourceMark> mark = store.mark(SourceMark.REBOOT_PENDING);
        if (mark.isEmpty()) {
            return Optional.empty();
        }
        PendingReboot pending = PendingReboot.decode(mark.get().note());
        Optional<String> outcome = reboots.afterBoot(pending);
        if (outcome.isPresent()) {
            store.clearMark(SourceMark.REBOOT_PENDING);
            return outcome;
        }
        // still waiting for its boot: the first cycle inside the window reboots, whether or not the branch moved
        if (!mayReboot) {
            return Optional.empty();
        }
        Optional<String> rebooted = reboots.rebootIfDue(pending, settings.logDir().resolve("reboot.log"));
        rebooted.ifPresent(r -> store.setMark(SourceMark.REBOOT_PENDING, mark.get().commit(),
                pending.asRequested().encode(), clock.instant()));
        return rebooted;
    }

    /** The gate rolled the system back: the commit is not tried again until the branch moves or a retry. */
    private CycleReport quarantine(CycleState cycle, FetchedCommit target, Activation activation, String reverted) {
        ProbeOutcome probe = activation.failedProbe();
        new Quarantines(store).add(new Quarantine(target.sha(), cycle.id, probe.probe(), probe.output(), clock.instant()));
        cycle.emit(HostEvent.ROLLED_BACK, cycle.outPath, "rolled back: " + probe.probe() + " failed");
        handled.handled(target, "rolled back in cycle " + cycle.id + ": " + probe.probe()
                + " failed; quarantined until the branch moves or `gitops-sync retry`");
        return cycle.report(CycleOutcome.FAILED, "rolled back: " + probe.probe() + " failed; " + activation.error()
                + note(reverted) + "; " + target.shortSha() + " is quarantined until the branch moves or"
                + " `gitops-sync retry`");
    }

    /**
     * A cycle that finds the health gate's mark died during the gate: the profile still names the last committed
     * system, which runs again. Returns what was done, or empty.
     */
    Optional<String> recoverInterruptedGate(CycleState cycle) {
        Optional<SourceMark> pending = store.mark(SourceMark.GATE_PENDING);
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        Instant started = clock.instant();
        String commit = pending.get().commit();
        // once is a restart or a power loss; twice, the system itself is the likely cause
        boolean again = store.recentDeployments(20).stream().anyMatch(d -> d.commit().equals(commit)
                && d.status() == DeploymentRecord.Status.ROLLED_BACK && d.error() != null
                && d.error().startsWith(INTERRUPTED));
        String note = pending.get().note() == null ? "" : pending.get().note();
        int at = note.indexOf(SECRETS_BEFORE);
        String secretsBack = at < 0 ? "" : secrets.switchBackTo(note.substring(at + SECRETS_BEFORE.length()).strip());
        Optional<String> done = deployer.reactivateProfile(cycle.log);
        String error = INTERRUPTED + Reconciler.abbrev(commit) + done.map(d -> "; " + d).orElse("")
                + note(secretsBack);
        store.recordDeployment(new DeploymentRecord(0, cycle.id, commit, Operation.TEST.word(),
                deployer.method(), profile.current().map(SystemProfile.Generation::outPath).orElse(""),
                profile.current().map(SystemProfile.Generation::number).orElse(null),
                DeploymentRecord.Status.ROLLED_BACK, error, started, clock.instant()));
        if (again) {
            new Quarantines(store).add(new Quarantine(commit, cycle.id, "the health gate (interrupted twice)", error,
                    clock.instant()));
            error += "; interrupted twice, so " + Reconciler.abbrev(commit)
                    + " is quarantined until the branch moves or `gitops-sync retry`";
        }
        store.clearMark(SourceMark.GATE_PENDING);
        LOG.warnf("cycle %d: %s", cycle.id, error);
        return Optional.of(error);
    }

    /** The commit's effects are live: it is the base later targets must descend from, superseding a reset. */
    private void wentLive(FetchedCommit target, String note) {
        store.setMark(SourceMark.LAST_LIVE, target.sha(), note, clock.instant());
        store.clearMark(SourceMark.TRUSTED_BASE);
    }

    private static String note(String s) {
        return s.isEmpty() ? "" : "; " + s;
    }
}
