package org.gitopssync.ci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.gitopssync.Cancellation;
import org.gitopssync.GitopsException;
import org.gitopssync.config.CiSettings;
import org.gitopssync.config.SystemdDuration;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.Nix;
import org.gitopssync.nix.NixVersion;
import org.jboss.logging.Logger;

/**
 * The embedded CI: evaluates a commit's checks and host systems and builds them in parallel,
 * with timeouts, per-attribute logs, garbage-collector roots, cached failures, and
 * cancellation of a branch's older run when a newer commit arrives.
 */
public final class CiEngine {

    private static final Logger LOG = Logger.getLogger(CiEngine.class);
    /** Runs whose outputs stay rooted; older roots are dropped when a run starts. */
    static final int KEEP_ROOTED_RUNS = 10;
    /** The lock check reads what the evaluation just fetched: it is quick, and only saves the next run time. */
    static final Duration LOCK_CHECK_TIMEOUT = Duration.ofMinutes(1);
    /** What {@link #prepare} reads: the shape of {@code nix show-derivation}. */
    private static final String PREPARE_JSON = """
            {"/nix/store/0-a.drv": {"outputs": {"out": {"path": "/nix/store/0-a"}}, "inputDrvs": {"/nix/store/1-b.drv": ["out"]},
             "env": {"name": "a"}}}""";

    private final Nix nix;
    private final CiResultStore store;
    private final CiSettings settings;
    private final String hostname;
    private final CiFiles files;
    private final Clock clock;
    private final RunningRuns running = new RunningRuns();

    public CiEngine(Nix nix, CiResultStore store, CiSettings settings, String hostname, Path stateDir, Clock clock) {
        this.nix = nix;
        this.store = store;
        this.settings = settings;
        this.hostname = hostname;
        this.files = new CiFiles(stateDir);
        this.clock = clock;
    }

    public CiResultStore results() {
        return store;
    }

    /**
     * Asks Nix its version ahead of a run (the run needs it before anything else), so that a
     * one-shot command can do it while it fetches; a failure here is met again by the run. Then
     * reads a derivation's JSON once: the first read loads the JSON parser's classes, 100-200 ms
     * of a one-shot command that would otherwise stand between the fetch and the evaluation.
     */
    public void prepare() {
        nix.version();
        DerivationJson.parse(PREPARE_JSON, "/nix/store");
    }

    /** Runs CI for one commit; never throws for a failed attribute, only when the run cannot start. */
    public CiResult run(CiRun request, Cancellation cancellation) {
        return run(request, cancellation, CiListener.NONE);
    }

    /** As {@link #run(CiRun, Cancellation)}, reporting progress to {@code listener}. */
    public CiResult run(CiRun request, Cancellation cancellation, CiListener listener) {
        NixVersion version = nix.version();
        NixCommands commands = new NixCommands(nix, version);
        files.releaseRootsExceptNewest(KEEP_ROOTED_RUNS - 1);
        long runId = store.startRun(request.branch(), request.commit(), request.flakeRef(), clock.instant());
        Cancellation runCancellation = new Cancellation();
        cancellation.onCancel(() -> runCancellation.cancel(cancellation.reason()));
        CiResult result;
        try (AutoCloseable ignored = running.register(request.branch(), request.commit(), runId, runCancellation,
                settings.cancelSuperseded())) {
            Path evalLog = files.evalLog(runId);
            Files.createDirectories(evalLog.getParent());
            EvalRequest eval = new EvalRequest(request.flakeRef(), settings.checksAttribute(), settings.system(),
                    request.checks(), hostNames(request.hosts()), request.hosts().mode() == CiSettings.Hosts.Mode.ALL,
                    evalLog, files.rootsDir(runId).resolve("eval"));
            StoreQueries queries = new StoreQueries(nix.runner(), commands, settings.maxBuildDuration(), evalLog);
            Optional<Path> evalJobs = nix.runner().findOnPath("nix-eval-jobs");
            Evaluator freshEvaluator = evaluator(commands, evalJobs.isPresent());
            EvaluationKey key = EvaluationKey.of(request.commit(), eval, version,
                    freshEvaluator.name() + evalJobs.map(p -> " " + ProgramIdentity.of(p)).orElse(""), nix.options(),
                    nix.runner().environmentVariable("NIX_CONFIG"));
            Evaluator evaluator = remembered(runId, key, queries, eval, runCancellation).orElse(null);
            boolean fresh = evaluator == null;
            if (fresh) {
                evaluator = freshEvaluator;
                LOG.infof("ci run %d: evaluating %s of %s at %s with %s (%s)", runId, eval.describe(),
                        request.branch(), request.shortCommit(), evaluator.name(), version);
            }
            BatchBuilder builder = new BatchBuilder(nix.runner(), commands, queries, settings.noOutputTimeout(),
                    settings.maxBuildDuration());
            FailureCache failures = FailureCache.open(store, settings.cacheFailures(), request.retryFailed(),
                    request.rebuildFailed());
            RunCoordinator.Context context = new RunCoordinator.Context(runId, request, hostname, evaluator, eval,
                    queries, builder, failures, files, listener, settings.maxParallelBuilds(),
                    settings.skipSubstitutable(), clock);
            result = new RunCoordinator(context, runCancellation).run();
            if (fresh && !result.cancelled()) {
                remember(key, request.flakeRef(), result, commands, evalLog, runCancellation);
            }
        } catch (Exception e) {
            store.finishRun(runId, "failed", "the run could not complete: " + e.getMessage(), clock.instant(), List.of());
            if (e instanceof CiException ce) {
                throw ce;
            }
            throw new CiException("ci run " + runId + " of " + request.shortCommit() + " on " + request.branch()
                    + " could not complete: " + e.getMessage(), e);
        } catch (Error e) {
            // the cycle records the failure; the run must not stay "running" in a live process
            store.finishRun(runId, "failed", "the run could not complete: an unexpected failure", clock.instant(),
                    List.of());
            throw e;
        }
        String outcome = result.cancelled() ? "cancelled" : result.succeeded() ? "succeeded" : "failed";
        store.finishRun(runId, outcome, result.summary(), clock.instant(), result.attributes());
        LOG.infof("ci run %d: %s: %s (%d derivations built in %s)", runId, outcome, result.summary(),
                result.derivationsBuilt(), SystemdDuration.format(result.duration().truncatedTo(
                        ChronoUnit.SECONDS)));
        if (request.reportLog() != null) {
            appendReport(request.reportLog(), request, result);
        }
        return result;
    }

    /**
     * Drops the garbage-collector roots of a run once its outputs are pushed or deployed, and those
     * of every earlier run of the same commit: the system they kept alive now runs (one a killed
     * process finished before it could deploy would otherwise keep its roots until pruned).
     */
    public void releaseRoots(long runId) {
        files.releaseRoots(runId);
        store.run(runId).ifPresent(run -> {
            for (long other : store.runIdsOfCommit(run.commit())) {
                files.releaseRoots(other);
            }
        });
    }

    /**
     * Closes the runs a dead process left running and releases their GC roots (a killed build's
     * outputs are not worth keeping); returns how many. Called at the start of a cycle.
     */
    public int closeAbandonedRuns() {
        List<Long> dead = store.abandonRunsOfDeadProcesses(clock.instant());
        for (long id : dead) {
            files.releaseRoots(id);
            LOG.infof("ci run %d: abandoned by a process that stopped; its GC roots are released", id);
        }
        return dead.size();
    }

    /**
     * Removes the finished runs started before {@code keepAfter} that nothing reads any more (see
     * {@link CiResultStore#expiredRuns}), at most {@code limit}: their build logs first, then their rows, so a process
     * killed in between leaves rows the next call removes. Returns how many.
     */
    public int removeRunsBefore(Instant keepAfter, int limit) {
        List<Long> runs = store.expiredRuns(keepAfter, KEEP_ROOTED_RUNS, limit);
        runs.forEach(files::removeLogs);
        store.removeRuns(runs);
        return runs.size();
    }

    /**
     * The stored evaluation of this very commit and selection, when one batched validity check
     * finds every derivation and output it names still in the store. Only then: a fresh
     * evaluation roots its derivations for the run's builds, a replay cannot without evaluating,
     * so a replay that still had to build could lose a derivation to a garbage collection
     * between the check and the build. Empty means: evaluate.
     */
    private Optional<Evaluator> remembered(long runId, EvaluationKey key, StoreQueries queries, EvalRequest eval,
            Cancellation cancellation) {
        if (!key.pure()) {
            return Optional.empty();
        }
        RememberedEvaluations memory = store.evaluations();
        RememberedEvaluation r;
        Set<String> invalid;
        try {
            Optional<RememberedEvaluation> found = memory.recall(key, clock.instant());
            if (found.isEmpty()) {
                return Optional.empty();
            }
            r = found.get();
            invalid = queries.invalid(r.paths(), cancellation);
            long gone = r.attributes().stream().filter(a -> invalid.contains(a.drvPath())).count();
            if (gone > 0) {
                LOG.debugf("ci run %d: %d derivations of the evaluation of %s were garbage-collected; evaluating"
                        + " again", runId, gone, key);
                memory.forget(key);
                return Optional.empty();
            }
        } catch (GitopsException e) {
            // reuse only saves time: whatever stands in its way, the run evaluates as it always did
            LOG.debugf("ci run %d: cannot reuse the evaluation of %s (%s); evaluating", runId, key, e.getMessage());
            return Optional.empty();
        }
        long missing = r.attributes().stream()
                .filter(a -> a.outputs().values().stream().anyMatch(invalid::contains)).count();
        if (missing > 0) {
            LOG.debugf("ci run %d: %d attributes of the evaluation of %s have outputs missing; evaluating again so"
                    + " that their derivations are rooted while they build", runId, missing, key);
            return Optional.empty();
        }
        String line = "ci run " + runId + ": reusing the evaluation of " + eval.describe() + " at commit "
                + key.commit() + " from ci run " + r.runId() + " (nothing evaluated; " + r.attributes().size()
                + " attributes, all built)";
        LOG.info(line);
        try {
            Files.writeString(eval.log(), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.debugf("cannot write %s: %s", eval.log(), e.getMessage());
        }
        return Optional.of(new ReplayedEvaluator(r));
    }

    /**
     * Stores a fresh evaluation for the next run of the same commit when it is whole: every
     * attribute evaluated with all its output paths known, and the flake pinned by its lock file.
     */
    private void remember(EvaluationKey key, String flakeRef, CiResult result, NixCommands commands, Path evalLog,
            Cancellation cancellation) {
        if (!key.pure()) {
            return;
        }
        List<EvaluatedAttribute> attributes = new ArrayList<>();
        for (AttributeResult a : result.attributes()) {
            if (a.status() == CiStatus.EVAL_FAILED || a.drvPath() == null || a.outputs().isEmpty()) {
                return;
            }
            attributes.add(new EvaluatedAttribute(a.target(), a.drvPath(), a.outputs()));
        }
        try {
            CommandResult metadata = nix.runner().run(Command.of(commands.flakeMetadata(flakeRef))
                    .capturingStdout().withTimeout(LOCK_CHECK_TIMEOUT).loggingTo(evalLog), cancellation);
            if (!metadata.succeeded() || !FlakeLocks.fullyLocked(metadata.stdout())) {
                LOG.debugf("ci run %d: the flake at %s is not fully locked; its evaluation is not remembered",
                        result.runId(), key.commit());
                return;
            }
            store.evaluations().remember(key, result.runId(), attributes, clock.instant());
        } catch (GitopsException e) {
            // remembering only saves the next run time: it never fails this one
            LOG.debugf("ci run %d: the evaluation is not remembered: %s", result.runId(), e.getMessage());
        }
    }

    private Evaluator evaluator(NixCommands commands, boolean evalJobs) {
        Duration limit = settings.maxBuildDuration();
        if (evalJobs) {
            return new EvalJobsEvaluator(nix.runner(), commands, settings.evalWorkers(), settings.evalMaxMemory(), limit);
        }
        return new NixEvalEvaluator(nix.runner(), commands, limit);
    }

    private List<String> hostNames(CiSettings.Hosts hosts) {
        return switch (hosts.mode()) {
            case SELF -> List.of(hostname);
            case ALL -> List.of();
            case LIST -> hosts.names();
        };
    }

    private static void appendReport(Path log, CiRun request, CiResult result) {
        List<String> lines = new ArrayList<>();
        lines.add("ci run " + result.runId() + " of " + request.shortCommit() + ": " + result.summary());
        for (AttributeResult a : result.attributes()) {
            if (a.status().failed()) {
                lines.add(a.describeFailureInFull());
            } else {
                lines.add(a.attribute() + ": " + a.status().word() + (a.out() == null ? "" : " " + a.out()));
            }
        }
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Files.writeString(log, String.join("\n", lines) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warnf("cannot append the ci report to %s: %s", log, e.getMessage());
        }
    }
}
