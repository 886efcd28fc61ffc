package org.gitopssync.reconcile;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.gitopssync.Cancellation;
import org.gitopssync.GitopsException;
import org.gitopssync.ci.AttributeResult;
import org.gitopssync.ci.BuiltSystem;
import org.gitopssync.ci.CiEngine;
import org.gitopssync.ci.CiException;
import org.gitopssync.ci.CiResult;
import org.gitopssync.ci.CiRun;
import org.gitopssync.config.CiSettings;
import org.gitopssync.config.DeploySettings.Operation;
import org.gitopssync.config.Settings;
import org.gitopssync.deploy.Activation;
import org.gitopssync.deploy.ActivationRequest;
import org.gitopssync.deploy.Deployer;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.secrets.install.CommitFiles;
import org.gitopssync.secrets.install.SecretsCheck;
import org.gitopssync.secrets.install.SecretsStage;
import org.gitopssync.secrets.install.SecretsUpdate;
import org.gitopssync.source.FetchedCommit;
import org.gitopssync.source.GitSource;
import org.gitopssync.source.TargetPolicy;
import org.gitopssync.source.TargetRefusedException;
import org.gitopssync.state.CycleLock;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.DeploymentRecord;
import org.gitopssync.state.SourceMark;
import org.gitopssync.state.StateStore;
import org.jboss.logging.Logger;

/**
 * Runs one reconcile cycle stage by stage under the state directory's lock: source, secrets, build,
 * deploy, record. The only class that knows the order of stages.
 */
public final class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final Settings settings;
    private final StateStore store;
    private final GitSource source;
    private final TargetPolicy policy;
    private final CiEngine ci;
    private final Deployer deployer;
    private final Clock clock;
    private final SecretsStage secrets;

    public Reconciler(Settings settings, StateStore store, GitSource source, TargetPolicy policy,
            CiEngine ci, Deployer deployer, Clock clock, SecretsStage secrets) {
        this.secrets = secrets;
        this.settings = settings;
        this.store = store;
        this.source = source;
        this.policy = policy;
        this.ci = ci;
        this.deployer = deployer;
        this.clock = clock;
    }

    /** Runs one cycle; throws {@link org.gitopssync.state.LockHeldException} if another one is running. */
    public CycleReport run(CycleRequest request, Cancellation cancellation) {
        try (CycleLock ignored = CycleLock.acquire(settings.stateDir(), request.trigger().word())) {
            store.abandonRunningCycles(now());
            long id = store.startCycle(request.trigger().word(), settings.repository().branch(), now());
            Path log = settings.logDir().resolve("cycle-" + id + ".log");
            store.setCycleLog(id, log);
            Cycle cycle = new Cycle(id, log, request, cancellation);
            CycleReport report;
            try {
                report = stages(cycle);
            } catch (TargetRefusedException e) {
                report = cycle.report(CycleOutcome.REFUSED, e.getMessage());
            } catch (GitopsException e) {
                report = cycle.report(cancellation.isCancelled() ? CycleOutcome.CANCELLED : CycleOutcome.FAILED,
                        e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("cycle " + id + " failed unexpectedly", e);
                report = cycle.report(CycleOutcome.FAILED, "internal error: " + e);
            } finally {
                // a generation that never went live (failed build, cancellation) must not linger
                cycle.secrets.discard();
            }
            store.finishCycle(id, report.outcome(), report.stage().word(),
                    report.failed() ? report.summary() : null, now());
            if (report.failed()) {
                LOG.errorf("cycle %d: %s in %s: %s", id, report.outcome().word(), report.stage().word(), report.summary());
            } else {
                LOG.infof("cycle %d: %s: %s", id, report.outcome().word(), report.summary());
            }
            return report;
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

    private CycleReport stages(Cycle cycle) {
        cycle.enter(Stage.SOURCE);
        String branch = settings.repository().branch();
        Optional<String> remote = source.remoteHead();
        if (remote.isEmpty()) {
            throw new org.gitopssync.source.SourceException("branch " + branch + " does not exist in "
                    + settings.repository().url());
        }
        Optional<SourceMark> lastSeen = store.mark(SourceMark.LAST_SEEN);
        if (!cycle.request.force() && lastSeen.isPresent() && lastSeen.get().commit().equals(remote.get())
                && source.hasCommit(remote.get()) && !secretsGone(cycle)) {
            cycle.commit = remote.get();
            return cycle.report(CycleOutcome.UNCHANGED, branch + " is still at " + abbrev(remote.get())
                    + (lastSeen.get().note() == null ? "" : " (" + lastSeen.get().note() + ")") + "; nothing to do");
        }
        FetchedCommit target = source.fetch();
        cycle.commit = target.sha();
        store.setCycleCommit(cycle.id, target.sha());
        LOG.infof("cycle %d: source: %s at %s \"%s\"", cycle.id, branch, target.shortSha(), target.subject());
        if (!settings.repository().allowForcePush()) {
            policy.check(source, branch, target.sha(), store.lastSuccessfulDeployment().map(DeploymentRecord::commit),
                    store.mark(SourceMark.TRUSTED_BASE));
        }
        cycle.checkCancelled();

        cycle.enter(Stage.SECRETS);
        secretsStage(cycle, target);
        cycle.checkCancelled();

        cycle.enter(Stage.BUILD);
        String flakeRef = source.flakeRef(target.sha());
        BuiltSystem system;
        try {
            system = build(cycle, target, flakeRef);
        } catch (GitopsException e) {
            if (!cycle.cancellation.isCancelled() && !cycle.request.dryRun()) {
                remember(target, "build failed in cycle " + cycle.id);
            }
            throw e;
        }
        cycle.outPath = system.outPath();
        LOG.infof("cycle %d: build: %s", cycle.id, system.outPath());
        cycle.checkCancelled();

        cycle.enter(Stage.DEPLOY);
        Operation op = settings.deploy().operation();
        if (cycle.request.dryRun()) {
            return cycle.report(CycleOutcome.BUILT, "dry run: built " + target.shortSha() + " -> " + system.outPath()
                    + "; would " + op.word() + (deployer.currentFor(op).filter(system.outPath()::equals).isPresent()
                    ? " (no change: the host already runs it)" : "") + cycle.secretsNote);
        }
        if (op == Operation.BUILD) {
            remember(target, "built in cycle " + cycle.id);
            return cycle.report(CycleOutcome.BUILT, "built " + target.shortSha() + " -> " + system.outPath()
                    + " (deploy.operation = build)");
        }
        if (op != Operation.DRY_ACTIVATE && deployer.currentFor(op).filter(system.outPath()::equals).isPresent()) {
            // the system is the same, but the commit may still change secrets: those go live on their own
            cycle.secrets.switchLive();
            String secretsNote = cycle.secrets.finish(op.activates(), cycle.log);
            remember(target, "up to date in cycle " + cycle.id);
            return cycle.report(CycleOutcome.UP_TO_DATE, target.shortSha() + " builds " + system.outPath()
                    + ", which the host already runs; nothing to activate" + (secretsNote.isEmpty() ? "" : "; " + secretsNote));
        }
        LOG.infof("cycle %d: deploy: %s %s via %s", cycle.id, op.word(), system.outPath(), deployer.method());
        Instant started = now();
        cycle.secrets.switchLive();
        // activation is never interrupted: a half-activated system is worse than a late shutdown
        Activation activation = deployer.activate(new ActivationRequest(settings.hostname(), system.outPath(),
                flakeRef, op, cycle.log), Cancellation.none());
        store.recordDeployment(new DeploymentRecord(0, cycle.id, target.sha(), op.word(), deployer.method(),
                system.outPath(), activation.generation(), activation.status(), activation.error(), started, now()));
        cycle.generation = activation.generation();
        if (!activation.succeeded()) {
            String reverted = cycle.secrets.revert();
            remember(target, "activation failed in cycle " + cycle.id);
            return cycle.report(CycleOutcome.FAILED, activation.error() + (reverted.isEmpty() ? "" : "; " + reverted));
        }
        String secretsNote = cycle.secrets.finish(op.activates(), cycle.log);
        remember(target, "deployed in cycle " + cycle.id);
        if (op == Operation.DRY_ACTIVATE) {
            return cycle.report(CycleOutcome.BUILT, "dry-activate of " + target.shortSha() + " -> "
                    + system.outPath() + " reported in " + cycle.log + cycle.secretsNote);
        }
        source.pin(GitSource.DEPLOYED_REF, target.sha());
        // a deployment supersedes an operator's reset: from now on the base is this commit
        store.clearMark(SourceMark.TRUSTED_BASE);
        return cycle.report(CycleOutcome.DEPLOYED, "deployed " + target.shortSha() + " \"" + target.subject() + "\": "
                + op.word() + (activation.generation() == null ? "" : " to generation " + activation.generation())
                + " (" + system.outPath() + ")" + (secretsNote.isEmpty() ? "" : "; " + secretsNote));
    }

    private boolean secretsGone(Cycle cycle) {
        if (!secrets.reinstallNeeded()) {
            return false;
        }
        LOG.infof("cycle %d: secrets: the installed secrets are gone (reboot?); installing them again", cycle.id);
        return true;
    }

    /**
     * Decrypts the target's secrets into a new generation that goes live only right before activation.
     * Dry runs and dry-activate only check that every secret opens; {@code operation = build} never decrypts.
     */
    private void secretsStage(Cycle cycle, FetchedCommit target) {
        Operation op = settings.deploy().operation();
        CommitFiles files = CommitFiles.of(target.sha(), path -> source.readFile(target.sha(), path));
        if (op == Operation.BUILD) {
            return;
        }
        if (cycle.request.dryRun() || op == Operation.DRY_ACTIVATE) {
            SecretsCheck check = secrets.check(files);
            if (!check.ok()) {
                throw new SecretsException(check.summary());
            }
            cycle.secretsNote = check.found() ? "; secrets: " + check.summary() : "";
            LOG.infof("cycle %d: secrets: %s", cycle.id, check.summary());
            return;
        }
        cycle.secrets = secrets.prepare(files, cycle.log);
        LOG.infof("cycle %d: secrets: %s", cycle.id, cycle.secrets.summary());
    }

    /**
     * Builds this host's system and the checks with the CI engine. A failed system fails the
     * cycle; so do failed checks while {@code ci.checks_block_deploy} holds.
     */
    private BuiltSystem build(Cycle cycle, FetchedCommit target, String flakeRef) {
        String host = settings.hostname();
        CiSettings.Hosts hosts = settings.ci().hosts();
        if (hosts.mode() == CiSettings.Hosts.Mode.LIST && !hosts.names().contains(host)) {
            List<String> names = new ArrayList<>(hosts.names());
            names.add(host);
            hosts = CiSettings.Hosts.of(names);
        }
        CiResult result = ci.run(CiRun.of(flakeRef, settings.repository().branch(), target.sha(), settings.ci())
                .withHosts(hosts).reportingTo(cycle.log), cycle.cancellation);
        if (result.cancelled()) {
            throw new CycleCancelledException(result.cancelReason());
        }
        AttributeResult system = result.system(host).orElseThrow(() -> new CiException(target.shortSha()
                + " does not define nixosConfigurations." + host));
        if (!system.status().succeeded()) {
            throw new CiException("the system of " + host + " at " + target.shortSha() + " did not build ("
                    + result.summary() + "):\n" + system.describeFailure());
        }
        List<AttributeResult> failed = result.failedChecks();
        if (!failed.isEmpty()) {
            String which = failed.stream().map(AttributeResult::attribute).collect(Collectors.joining(", "));
            if (settings.ci().checksBlockDeploy()) {
                throw new CiException(failed.size() + " check" + (failed.size() == 1 ? "" : "s") + " failed at "
                        + target.shortSha() + ", so nothing is activated (ci.checks_block_deploy): " + which + "\n"
                        + result.failureReport());
            }
            LOG.warnf("cycle %d: %d checks failed at %s (ci.checks_block_deploy = false, deploying anyway): %s",
                    cycle.id, failed.size(), target.shortSha(), which);
        }
        return new BuiltSystem(host, system.attribute(), system.drvPath(), system.out());
    }

    private void remember(FetchedCommit commit, String note) {
        store.setMark(SourceMark.LAST_SEEN, commit.sha(), note, now());
    }

    private Instant now() {
        return clock.instant();
    }

    static String abbrev(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    /** The mutable progress of one cycle, confined to the thread running it. */
    private final class Cycle {
        final long id;
        final Path log;
        final CycleRequest request;
        final Cancellation cancellation;
        Stage stage = Stage.LOCK;
        String commit;
        String outPath;
        Integer generation;
        SecretsUpdate secrets = SecretsUpdate.none("");
        String secretsNote = "";

        Cycle(long id, Path log, CycleRequest request, Cancellation cancellation) {
            this.id = id;
            this.log = log;
            this.request = request;
            this.cancellation = cancellation;
        }

        void enter(Stage next) {
            stage = next;
            LOG.debugf("cycle %d: entering %s", id, next.word());
        }

        void checkCancelled() {
            if (cancellation.isCancelled()) {
                throw new CycleCancelledException(cancellation.reason());
            }
        }

        CycleReport report(CycleOutcome outcome, String summary) {
            return new CycleReport(id, outcome, stage, commit, outPath, generation, summary, log);
        }
    }
}
