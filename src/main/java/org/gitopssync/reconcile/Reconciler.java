package org.gitopssync.reconcile;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.gitopssync.Cancellation;
import org.gitopssync.GitopsException;
import org.gitopssync.cache.CachePublisher;
import org.gitopssync.cache.DestinationGuard;
import org.gitopssync.cache.HostResolver;
import org.gitopssync.ci.CiEngine;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.FleetSettings;
import org.gitopssync.config.HostEvent;
import org.gitopssync.config.Settings;
import org.gitopssync.deploy.Deployer;
import org.gitopssync.deploy.RebootCheck;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.fleet.ReleaseException;
import org.gitopssync.fleet.ReleasePublisher;
import org.gitopssync.fleet.ReleaseSigner;
import org.gitopssync.fleet.ReleaseStore;
import org.gitopssync.fleet.SystemRealiser;
import org.gitopssync.nix.Nix;
import org.gitopssync.secrets.install.SecretsStage;
import org.gitopssync.source.FetchedCommit;
import org.gitopssync.source.GitSource;
import org.gitopssync.source.TargetPolicy;
import org.gitopssync.source.TargetRefusedException;
import org.gitopssync.source.UntrustedCommitException;
import org.gitopssync.state.CycleLock;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.Quarantine;
import org.gitopssync.state.Quarantines;
import org.gitopssync.state.SourceMark;
import org.gitopssync.state.StateStore;
import org.gitopssync.state.Suspension;
import org.gitopssync.state.Suspensions;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs one reconcile cycle under the state directory's lock: source, secrets, build, cache,
 * deploy, record. The only class that knows the order of stages; each stage is its own class.
 */
public final class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private static final String MDC_CYCLE = "cycle";
    private static final String MDC_COMMIT = "commit";
    /** Under the state directory: when the last {@code [history]} pass ended, as its modification time. */
    public static final String HISTORY_PASS = "history-pass";

    private final Settings settings;
    private final StateStore store;
    private final GitSource source;
    private final SourceStage sourceStage;
    private final SecretsStep secrets;
    private final FleetRole role;
    private final CacheStage cache;
    private final DeployStage deploy;
    private final HandledCommits handled;
    private final DriftCheck drift;
    private final WaveGate wave;
    private final CycleObserver observer;
    private final CrashRecovery recovery;
    private final OwedNotices owed;
    private final HistoryRetention history;
    private final Clock clock;
    /** The commit the running cycle works on, for a newer push to decide whether to supersede it. */
    private volatile String currentTarget;

    /** The collaborators of a cycle, built once by the agent's composition root. */
    public record Parts(GitSource source, TargetPolicy policy, SecretsStage secrets, CiEngine ci,
            CachePublisher caches, String cacheRepository, Deployer deployer, SystemProfile profile,
            CycleObserver observer, RebootCheck reboots, CommitStatuses forgeStatuses, FleetParts fleet) {
    }

    /** What a fleet role needs beyond a standalone agent; null parts for the roles that do not use them. */
    public record FleetParts(ReleaseStore releases, ReleasePublisher publisher, SystemRealiser realiser) {

        public static FleetParts none() {
            return new FleetParts(null, null, null);
        }

        /** The release store, signer and realiser {@code [fleet]} asks for; none for a standalone agent. */
        public static FleetParts of(Settings settings, Nix nix, CredentialResolver credentials) {
            FleetSettings fleet = settings.fleet();
            if (fleet.role() == FleetSettings.Role.STANDALONE) {
                return none();
            }
            ReleaseStore releases = ReleaseStore.open(fleet, credentials, new DestinationGuard(HostResolver.SYSTEM));
            ReleasePublisher publisher = new ReleasePublisher(nix, releases, () -> ReleaseSigner.of(
                    credentials.value("fleet.signing_key", fleet.signingKey()).orElseThrow(() -> new ReleaseException(
                            "fleet.signing_key: not set, so no release can be signed")), "fleet.signing_key"));
            return new FleetParts(releases, publisher,
                    new SystemRealiser(nix, SystemRealiser.substitutersOf(settings.caches()), fleet.cacheKeys()));
        }
    }

    public Reconciler(Settings settings, StateStore store, Parts parts, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.source = parts.source();
        this.handled = new HandledCommits(store, clock);
        this.secrets = new SecretsStep(settings, parts.source(), parts.secrets());
        BuildStage build = new BuildStage(settings, parts.ci());
        this.role = switch (settings.fleet().role()) {
            case STANDALONE -> new StandaloneRole(build);
            case BUILDER -> new BuilderRole(settings, BuildStage.forBuilder(settings, parts.ci()),
                    parts.fleet().publisher(), clock);
            case HOST -> new HostRole(settings, store, parts.source(), parts.fleet().releases(),
                    parts.fleet().realiser(), build, clock);
        };
        this.cache = new CacheStage(settings, parts.caches(), parts.cacheRepository());
        this.deploy = new DeployStage(settings, store, parts.source(), parts.deployer(), parts.profile(), handled,
                parts.reboots(), parts.secrets(), clock);
        this.sourceStage = new SourceStage(settings, store, parts.source(), parts.policy(), handled, secrets,
                deploy::bootOutcome, sha -> currentTarget = sha);
        this.drift = new DriftCheck(store, parts.profile(), settings.deploy().onDrift(), clock);
        this.wave = new WaveGate(settings.fleet().waves(), parts.forgeStatuses(), handled, clock);
        this.observer = parts.observer();
        this.recovery = new CrashRecovery(store, parts.ci(), parts.caches(), clock);
        this.owed = new OwedNotices(store);
        this.history = new HistoryRetention(settings.history(), store, parts.ci()::removeRunsBefore, settings.logDir(),
                settings.stateDir().resolve(HISTORY_PASS), clock);
        this.clock = clock;
    }

    /** Runs one cycle; throws {@link org.gitopssync.state.LockHeldException} if another one is running. */
    public CycleReport run(CycleRequest request, Cancellation cancellation) {
        CycleLogLines lines = null;
        // the cycle's duration runs from here: taking the lock and closing what a dead process left are its work too
        Instant started = now();
        try (CycleLock ignored = CycleLock.acquire(settings.stateDir(), request.trigger().word())) {
            recovery.run().forEach(this::tellAbandoned);
            owed.tellOwed(observer);
            notifyResumed();
            long id = store.startCycle(request.trigger().word(), settings.repository().branch(), started, this::logOf);
            Path log = logOf(id);
            StageClock timing = new StageClock();
            notify(id, "the start", () -> observer.cycleStarted(id, request.trigger().word()));
            // log lines of this thread carry the cycle (and its commit once chosen) for [log] format = "json"
            MDC.put(MDC_CYCLE, Long.toString(id));
            lines = CycleLogLines.start(id, log);
            CycleState cycle = new CycleState(id, log, request, cancellation, (stage, commit) -> {
                store.setCycleStage(id, stage.word());
                timing.enter(stage).ifPresent(t -> notifyStage(id, t));
                if (commit != null) {
                    MDC.put(MDC_COMMIT, commit);
                }
                notify(id, "the stage", () -> observer.stageEntered(id, commit, stage.word()));
            });
            CycleReport report;
            try {
                report = stages(cycle);
            } catch (TargetRefusedException | UntrustedCommitException e) {
                report = cycle.report(CycleOutcome.REFUSED, e.getMessage());
            } catch (GitopsException e) {
                report = cycle.report(cancellation.isCancelled() ? CycleOutcome.CANCELLED : CycleOutcome.FAILED,
                        e.getMessage());
            } catch (RuntimeException | Error e) {
                // any Throwable (a StackOverflowError from a hostile document too) closes the cycle as failed
                // with its stage, so status and the next poll say why instead of finishedAt staying empty
                LOG.debug("cycle " + id + " failed unexpectedly", e);
                report = cycle.report(CycleOutcome.FAILED, "internal error in " + cycle.stage.word() + ": "
                        + UnexpectedFailure.describe(e) + " (details in the log at debug level)");
            } finally {
                discardSecrets(cycle);
            }
            if (report.commit() != null) {
                MDC.put(MDC_COMMIT, report.commit());
            }
            // a rollback is its own event: the cycle's "failed" would tell the same twice
            boolean rolledBack = cycle.events.stream().anyMatch(e -> e.event() == HostEvent.ROLLED_BACK);
            List<CycleEvent> events = new ArrayList<>(cycle.events);
            CycleEvent.of(report).filter(e -> !rolledBack).ifPresent(events::add);
            // owed in the same write: a process killed before the observers heard leaves it for the next cycle
            String notice = OwedNotices.notice(report, events, cycle.buildOpen());
            store.finishCycle(id, report.outcome(), report.stage().word(),
                    report.failed() ? report.summary() : null, now(), notice);
            if (report.outcome() == CycleOutcome.CANCELLED) {
                // a stop or a newer push asked for this: not an error
                LOG.infof("cycle %d: cancelled in %s: %s", id, report.stage().word(), report.summary());
            } else if (report.failed()) {
                LOG.errorf("cycle %d: %s in %s: %s", id, report.outcome().word(), report.stage().word(), report.summary());
            } else {
                LOG.infof("cycle %d: %s: %s", id, report.outcome().word(), report.summary());
            }
            currentTarget = null;
            timing.end().ifPresent(t -> notifyStage(id, t));
            tell(observer, report, events);
            if (notice != null) {
                // nothing stored, nothing to settle: an unchanged cycle's last write was its outcome
                owed.settle(id);
            }
            if (!request.dryRun()) {
                keepHistory(id);
            }
            return report;
        } finally {
            if (lines != null) {
                lines.close();
            }
            MDC.remove(MDC_CYCLE);
            MDC.remove(MDC_COMMIT);
        }
    }

    /**
     * A cycle a dead process left running has just been closed: what it posted as pending (its eval and build
     * statuses when it stopped before the build's result, and its deploy status) now says it stopped there, so
     * no status of a commit the branch may have moved past waits for ever.
     */
    private void tellAbandoned(CycleRecord dead) {
        if (dead.commit() == null || dead.stage() == null) {
            return;
        }
        Stage stage = Stage.valueOf(dead.stage().toUpperCase(Locale.ROOT));
        if (stage.compareTo(Stage.SECRETS) < 0) {
            // it stopped before it told anyone it had a target: nothing is pending
            return;
        }
        if (stage.compareTo(Stage.BUILD) <= 0) {
            notifyStarted(dead.id(), dead.commit());
        }
        notifyFinished(observer, new CycleReport(dead.id(), CycleOutcome.ABANDONED, stage, dead.commit(), null, null,
                dead.error() == null ? "the agent stopped during " + stage.word() : dead.error(),
                dead.logPath() == null ? null : Path.of(dead.logPath())));
    }

    /** Housekeeping after the outcome is recorded and told: a failure here is the next pass's to retry. */
    private void keepHistory(long id) {
        try {
            history.runIfDue();
        } catch (RuntimeException e) {
            LOG.warnf("cycle %d: cannot remove old cycles from the history: %s", id, e.getMessage());
        }
    }

    /** A generation that never went live (failed build, cancellation) must not linger. */
    private static void discardSecrets(CycleState cycle) {
        try {
            cycle.secrets.discard();
        } catch (RuntimeException e) {
            LOG.warnf("cycle %d: cannot remove the unused secrets generation: %s", cycle.id, e.getMessage());
        }
    }

    /**
     * Accepts a commit the target policy would refuse (after a deliberate force-push or rewind):
     * it becomes the base that later targets must descend from, and the next cycle handles it.
     */
    public FetchedCommit reset(String rev) {
        try (CycleLock ignored = CycleLock.acquire(settings.stateDir(), "reset")) {
            source.fetch();
            FetchedCommit commit = source.resolve(rev);
            store.setMark(SourceMark.TRUSTED_BASE, commit.sha(), "accepted by reset", now());
            store.clearMark(SourceMark.LAST_SEEN);
            LOG.infof("reset: %s \"%s\" accepted as the new base; the next cycle deploys %s's head",
                    commit.shortSha(), commit.subject(), settings.repository().branch());
            return commit;
        }
    }

    private CycleReport stages(CycleState cycle) {
        if (!cycle.request.dryRun()) {
            deploy.recoverInterruptedGate(cycle);
        }
        Optional<Suspension> suspension = drift.check(cycle);
        cycle.enter(Stage.SOURCE);
        SourceResult found = sourceStage.run(cycle, suspension.isPresent());
        if (found.isUnchanged()) {
            return cycle.report(CycleOutcome.UNCHANGED, found.unchangedSummary());
        }
        Deployable next = role.choose(cycle, found.target());
        if (next.isWaiting()) {
            // not handled: the next poll looks for the record again
            return cycle.report(CycleOutcome.WAITING, next.waitingSummary());
        }
        FetchedCommit target = next.commit();
        if (!target.sha().equals(cycle.commit)) {
            cycle.commit = target.sha();
            store.setCycleCommit(cycle.id, target.sha());
        }
        if (!cycle.request.dryRun()) {
            // before anything is posted, decrypted or built: a host the wave has not reached stays as it is
            Optional<CycleReport> held = wave.hold(cycle, target);
            if (held.isPresent()) {
                return held.get();
            }
        }
        notifyStarted(cycle.id, target.sha());
        cycle.checkCancelled();

        cycle.enter(Stage.SECRETS);
        // read again: `suspend` may have run since the cycle started; it takes no lock
        suspension = suspension.or(() -> new Suspensions(store).current());
        String secretsNote = (suspension.isEmpty() || cycle.request.dryRun()) && role.deploys()
                ? secrets.run(cycle, target) : "";
        cycle.checkCancelled();

        cycle.enter(Stage.BUILD);
        String flakeRef = source.flakeRef(target.sha());
        BuildResult built;
        try {
            built = next.stage().run(cycle, target, flakeRef, observer);
        } catch (GitopsException e) {
            // a refused release is looked at again by the next poll: the builder may publish a good one
            if (!cycle.cancellation.isCancelled() && !cycle.request.dryRun() && !(e instanceof ReleaseException)) {
                handled.handled(target, "build failed in cycle " + cycle.id);
            }
            throw e;
        }
        cycle.outPath = built.system() == null ? null : built.system().outPath();
        LOG.infof("cycle %d: build: %s", cycle.id, cycle.outPath == null ? built.ci().summary() : cycle.outPath);
        cycle.checkCancelled();

        cycle.enter(Stage.CACHE);
        StageNotes notes = new StageNotes(secretsNote, cache.run(cycle, target, built.ci(), observer)
                + role.publish(cycle, target, built));
        cycle.checkCancelled();
        if (built.system() == null) {
            // a fleet builder that is not one of its hosts: its cycle ends with the release records
            next.stage().release(built);
            if (!cycle.request.dryRun()) {
                handled.handled(target, "released in cycle " + cycle.id);
                // release records are a builder's effects: a later head must descend from them, as after a deployment
                store.setMark(SourceMark.LAST_LIVE, target.sha(), "released in cycle " + cycle.id, now());
                store.clearMark(SourceMark.TRUSTED_BASE);
            }
            return cycle.report(CycleOutcome.BUILT, "built " + target.shortSha() + " for the fleet ("
                    + built.ci().summary() + ")" + notes.cache());
        }

        cycle.enter(Stage.DEPLOY);
        suspension = suspension.or(() -> new Suspensions(store).current());
        if (suspension.isPresent() && !cycle.request.dryRun()) {
            return suspended(cycle, target, suspension.get(), notes.cache());
        }
        CycleReport report = deploy.run(cycle, target, built.system(), flakeRef, notes);
        if (report.outcome() == CycleOutcome.DEPLOYED || report.outcome() == CycleOutcome.UP_TO_DATE) {
            next.stage().release(built);
        }
        return report;
    }

    /** Blocks until no other process holds the cycle lock (see {@link CycleLock#awaitFree}). */
    public void awaitLockFree() throws InterruptedException {
        CycleLock.awaitFree(settings.stateDir());
    }

    /** {@code gitops-sync retry}: lifts every quarantine, then runs a cycle that also rebuilds cached build failures. */
    public CycleReport retry(Trigger trigger, Cancellation cancellation) {
        for (Quarantine q : new Quarantines(store).liftAll()) {
            LOG.infof("retry: quarantine of %s lifted (rolled back in cycle %d: %s failed)", abbrev(q.commit()),
                    q.cycleId(), q.probe());
        }
        return run(new CycleRequest(trigger, false, true), cancellation);
    }

    /** A suspended agent builds and reports, but activates nothing and installs no secrets. */
    private CycleReport suspended(CycleState cycle, FetchedCommit target, Suspension s, String cacheNote) {
        store.setMark(SourceMark.LAST_SUSPENDED, target.sha(), "suspended in cycle " + cycle.id + ": built, not deployed",
                now());
        LOG.infof("cycle %d: deploy: suspended, not deploying %s", cycle.id, target.shortSha());
        return cycle.report(CycleOutcome.SUSPENDED, "suspended by " + s.suspendedBy() + " since " + s.since()
                + (s.reason() == null || s.reason().isBlank() ? "" : ": " + s.reason()) + "; built " + target.shortSha()
                + " -> " + cycle.outPath + ", deploying nothing until `gitops-sync resume`" + cacheNote);
    }

    /** The commit a running cycle is building or deploying, if any. */
    public Optional<String> currentTarget() {
        return Optional.ofNullable(currentTarget);
    }

    private void notifyResumed() {
        try {
            observer.resumed();
        } catch (RuntimeException e) {
            LOG.warnf("statuses left undelivered earlier cannot be sent yet: %s", e.getMessage());
        }
    }

    private void notifyStarted(long id, String commit) {
        try {
            observer.started(id, commit);
        } catch (RuntimeException e) {
            LOG.warnf("cycle %d: reporting the start failed: %s", id, e.getMessage());
        }
    }

    private void notifyStage(long id, StageClock.Timed timed) {
        try {
            observer.stageFinished(id, timed.stage(), timed.took());
        } catch (RuntimeException e) {
            LOG.warnf("cycle %d: reporting the end of %s failed: %s", id, timed.stage().word(), e.getMessage());
        }
    }

    private static void notify(long id, String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warnf("cycle %d: reporting %s failed: %s", id, what, e.getMessage());
        }
    }

    /** Tells the observers how a recorded cycle ended, then its events; a failing observer is logged. */
    static void tell(CycleObserver observer, CycleReport report, List<CycleEvent> events) {
        notifyFinished(observer, report);
        events.forEach(e -> notifyEvent(observer, e));
    }

    private static void notifyEvent(CycleObserver observer, CycleEvent event) {
        try {
            observer.event(event);
        } catch (RuntimeException e) {
            LOG.warnf("cycle %d: reporting %s failed: %s", event.cycleId(), event.event().word(), e.getMessage());
        }
    }

    private static void notifyFinished(CycleObserver observer, CycleReport report) {
        try {
            observer.finished(report);
        } catch (RuntimeException e) {
            LOG.warnf("cycle %d: reporting the outcome failed: %s", report.cycleId(), e.getMessage());
        }
    }

    private Path logOf(long cycleId) {
        return settings.logDir().resolve("cycle-" + cycleId + ".log");
    }

    private Instant now() {
        return clock.instant();
    }

    static String abbrev(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
