package org.gitopssync.ci;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.gitopssync.Cancellation;
import org.gitopssync.GitopsException;
import org.gitopssync.ci.BuildGraph.Node;
import org.jboss.logging.Logger;

/**
 * One run's event loop: evaluation streams attributes in, each batch is turned into graph
 * nodes (only derivations whose outputs are missing), ready nodes are built in parallel, and
 * finished builds release their dependents. Evaluation and builds run on their own threads and
 * talk to this loop through one queue; the graph and every per-run map belong to the loop's thread.
 */
final class RunCoordinator {

    private static final Logger LOG = Logger.getLogger(RunCoordinator.class);
    /** Most derivations one Nix process builds in a row. */
    static final int MAX_BATCH = 8;

    /** What the loop reacts to. */
    private interface Event {
    }

    private record Evaluated(List<EvalJob> jobs) implements Event {
    }

    private record EvaluationOver(RuntimeException error) implements Event {
    }

    private record Built(List<Node> nodes, Map<String, BatchBuilder.Outcome> outcomes, boolean rooted) implements Event {
    }

    private record Cancelled() implements Event {
    }

    /** The services and limits of one run. */
    record Context(long runId, CiRun request, String selfHost, Evaluator evaluator, EvalRequest evalRequest,
            StoreQueries queries, BatchBuilder builder, FailureCache failures, CiFiles files, CiListener listener,
            int maxParallel, boolean skipSubstitutable, Clock clock) {
    }

    private final Context cx;
    private final Cancellation cancellation;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final BuildGraph graph = new BuildGraph();
    private final Map<String, TargetState> targets = new LinkedHashMap<>();
    private final GraphExpander expander;
    /** Derivations whose outputs already have a root in this run (nix roots a batch's outputs only if all built). */
    private final Set<String> rooted = new HashSet<>();
    private boolean evaluationOver;
    private boolean cancelled;
    private int built;
    private int processes;
    private int batches;

    /** What is known about one attribute while the run goes on. */
    private static final class TargetState {
        final CiTarget target;
        String drvPath;
        Map<String, String> outputs = Map.of();
        String evalError;
        CiStatus status;
        String error;

        TargetState(CiTarget target) {
            this.target = target;
        }
    }

    RunCoordinator(Context context, Cancellation cancellation) {
        this.cx = context;
        this.cancellation = cancellation;
        this.expander = new GraphExpander(graph, context.queries(), context.failures(), context.skipSubstitutable(),
                cancellation);
    }

    CiResult run() {
        long started = System.nanoTime();
        cancellation.onCancel(() -> events.add(new Cancelled()));
        Thread evaluation = new Thread(this::evaluate, "ci-eval-" + cx.runId());
        evaluation.setDaemon(true);
        evaluation.start();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(cx.maxParallel(), r -> {
            Thread t = new Thread(r, "ci-build-" + cx.runId() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        boolean interrupted = false;
        try {
            while (!evaluationOver || graph.unsettled() > 0) {
                List<Event> batch = new ArrayList<>();
                try {
                    batch.add(events.take());
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancellation.cancel("the agent is stopping");
                    continue;
                }
                events.drainTo(batch);
                handle(batch);
                if (cancelled) {
                    report(graph.cancelPending());
                } else {
                    dispatch(pool);
                }
            }
        } finally {
            pool.shutdownNow();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        rootUnrooted();
        return result(Duration.ofNanos(System.nanoTime() - started));
    }

    private void evaluate() {
        RuntimeException error = null;
        try {
            cx.evaluator().evaluate(cx.evalRequest(), jobs -> events.add(new Evaluated(List.copyOf(jobs))), cancellation);
        } catch (RuntimeException e) {
            error = e;
        } catch (Error e) {
            // without an EvaluationOver the run would wait for it forever
            error = new CiException(e instanceof StackOverflowError ? "the stack overflowed"
                    : "an unexpected failure (" + e.getMessage() + ")", e);
        }
        events.add(new EvaluationOver(error));
    }

    private void handle(List<Event> batch) {
        List<EvalJob> jobs = new ArrayList<>();
        boolean evaluationEnded = false;
        for (Event e : batch) {
            if (e instanceof Evaluated ev) {
                jobs.addAll(ev.jobs());
            } else if (e instanceof Built b) {
                processes--;
                b.nodes().forEach(n -> settle(n, b.outcomes().get(n.drvPath())));
                if (b.rooted()) {
                    b.nodes().forEach(n -> rooted.add(n.drvPath()));
                }
            } else if (e instanceof EvaluationOver over) {
                evaluationOver = true;
                evaluationEnded = true;
                if (over.error() != null && !cancellation.isCancelled()) {
                    LOG.debug("evaluation failed", over.error());
                    jobs.add(EvalJob.failure(CiTarget.set(cx.evalRequest().describe()),
                            "evaluation failed: " + over.error().getMessage()));
                }
            } else if (e instanceof Cancelled) {
                cancelled = true;
            }
        }
        accept(jobs);
        if (evaluationEnded) {
            long failed = targets.values().stream().filter(t -> t.evalError != null).count();
            LOG.infof("ci run %d: evaluated %d attributes (%d failed); %d derivations to build, %d built so far",
                    cx.runId(), targets.size(), failed, graph.size(), built);
            cx.listener().evaluationFinished(targets.size());
        }
    }

    /** Records evaluated attributes and puts the ones that need building into the graph. */
    private void accept(List<EvalJob> jobs) {
        List<EvalJob> unknown = new ArrayList<>();
        for (EvalJob job : jobs) {
            TargetState t = targets.computeIfAbsent(job.target().attribute(), a -> new TargetState(job.target()));
            cx.listener().evaluated(job.target(), job.error());
            if (job.failed()) {
                t.evalError = job.error();
                continue;
            }
            t.drvPath = job.drvPath();
            t.outputs = job.outputs();
            Node n = graph.node(job.drvPath());
            if (n != null) {
                n.targets.add(job.target());
            } else if (cancelled) {
                t.status = CiStatus.CANCELLED;
            } else if (job.cache() == EvalJob.CacheStatus.LOCAL
                    || job.cache() == EvalJob.CacheStatus.CACHED && cx.skipSubstitutable() && !mustRealise(job.target())) {
                expander.markSatisfied(job.drvPath());
            } else if (!expander.satisfied(job.drvPath())) {
                unknown.add(job);
            }
        }
        if (!unknown.isEmpty()) {
            try {
                Set<String> needLocal = new HashSet<>();
                unknown.stream().filter(j -> mustRealise(j.target())).forEach(j -> needLocal.add(j.drvPath()));
                GraphExpander.Expansion x = expander.expand(unknown, needLocal);
                cx.listener().queued(x.added());
                report(x.settled());
            } catch (GitopsException e) {
                for (EvalJob job : unknown) {
                    TargetState t = targets.get(job.target().attribute());
                    if (graph.node(job.drvPath()) == null && !expander.satisfied(job.drvPath())) {
                        t.status = cancellation.isCancelled() ? CiStatus.CANCELLED : CiStatus.FAILED;
                        t.error = "cannot inspect " + job.drvPath() + ": " + e.getMessage();
                    }
                }
            }
        }
    }

    private boolean mustRealise(CiTarget target) {
        return target.kind() == CiTarget.Kind.SYSTEM && target.name().equals(cx.selfHost());
    }

    /** Starts builds while processes are free, as many per process as {@link #batchSize} says. */
    private void dispatch(ExecutorService pool) {
        int free = cx.maxParallel() - processes;
        while (free > 0 && graph.readyCount() > 0) {
            int height = graph.readyHeight();
            int unsettled = graph.unsettled();
            boolean lastWave = evaluationOver && unsettled == graph.readyCount() + graph.running();
            int size = batchSize(graph.readyCount(), free, cx.maxParallel(), lastWave, height, unsettled);
            List<Node> batch = graph.takeReady(size);
            start(pool, batch);
            processes++;
            free--;
        }
        if (evaluationOver && graph.running() == 0 && graph.unsettled() > 0) {
            // cannot happen with a well-formed graph; never spin forever if it does
            LOG.errorf("ci run %d: %d derivations can never become ready; giving up on them", cx.runId(), graph.unsettled());
            report(graph.cancelPending());
        }
    }

    /**
     * How many ready derivations the next process builds: the ready ones shared among the
     * {@code free} processes, at most {@link #MAX_BATCH}, so that the cost of each Nix process
     * (100-200 ms) is shared. In the {@code lastWave} (evaluation over, nothing waiting on a
     * dependency) they are shared among all {@code processes}: the busy ones find nothing else
     * when they finish, and a run should not end with one process building a long batch alone.
     * A batch reports when its last build ends, though, so when its first derivation holds back
     * a chain of {@code headHeight} levels of dependents, every level would wait out a whole batch
     * and the chain could outlast all the other work. Then the batch is cut so that the chain's
     * levels, a batch each, take no longer than the {@code unsettled} derivations spread over the
     * processes.
     */
    static int batchSize(int ready, int free, int processes, boolean lastWave, int headHeight, int unsettled) {
        int sharers = lastWave ? processes : free;
        int size = Math.min(MAX_BATCH, Math.max(1, (ready + sharers - 1) / sharers));
        if (headHeight > 0) {
            size = Math.min(size, Math.max(1, unsettled / (processes * (headHeight + 1))));
        }
        return size;
    }

    private void start(ExecutorService pool, List<Node> batch) {
        List<BatchBuilder.Item> items = new ArrayList<>();
        Map<String, String> labels = new HashMap<>();
        boolean anyTarget = false;
        for (Node n : batch) {
            boolean target = !n.targets.isEmpty();
            anyTarget |= target;
            n.log = target ? cx.files().attributeLog(cx.runId(), n.label()) : cx.files().dependencyLog(cx.runId(), n.drvPath());
            items.add(new BatchBuilder.Item(n.drvPath(), n.log, new ArrayList<>(n.info.outputs().values())));
            labels.put(n.drvPath(), n.label());
        }
        Path root = anyTarget ? cx.files().rootsDir(cx.runId()).resolve("batch-" + ++batches) : null;
        LOG.debugf("ci run %d: building %s", cx.runId(), labels.values());
        pool.execute(() -> {
            Map<String, BatchBuilder.Outcome> outcomes;
            try {
                String[] previous = new String[1];
                outcomes = cx.builder().build(items, root, cancellation, (drv, at) -> {
                    // one build at a time per process: a start ends the one before
                    if (previous[0] != null) {
                        cx.listener().buildStopped(previous[0]);
                    }
                    previous[0] = drv;
                    cx.listener().buildStarted(drv, labels.get(drv));
                });
            } catch (RuntimeException | Error e) {
                // every batch must end in a Built event, or the run waits for it forever
                LOG.warn("build process failed", e);
                outcomes = new HashMap<>();
                for (BatchBuilder.Item i : items) {
                    outcomes.put(i.drvPath(), new BatchBuilder.Outcome(CiStatus.FAILED, Duration.ZERO,
                            "the build could not run: " + e.getMessage(), List.of(), false));
                }
            }
            boolean allBuilt = outcomes.values().stream().allMatch(o -> o.status() == CiStatus.BUILT);
            events.add(new Built(batch, outcomes, root != null && allBuilt));
        });
    }

    private void settle(Node n, BatchBuilder.Outcome o) {
        n.duration = o.duration();
        n.error = o.error();
        n.tail = o.tail();
        if (o.status() == CiStatus.BUILT) {
            built++;
            cx.failures().forget(n.drvPath());
        } else if (o.ownFailure()) {
            cx.failures().remember(new CachedFailure(n.drvPath(), n.label(), cx.request().commit(), cx.runId(),
                    o.status(), cx.clock().instant(), n.log, o.error()));
        }
        cx.listener().buildFinished(n.drvPath(), n.label(), o.status(), o.duration());
        report(graph.finish(n, o.status()));
    }

    private void report(List<Node> settled) {
        for (Node s : settled) {
            cx.listener().buildFinished(s.drvPath(), s.label(), s.status, Duration.ZERO);
        }
    }

    /** Roots the outputs of attributes that were already built (or built as a dependency before they arrived). */
    private void rootUnrooted() {
        if (cancellation.isCancelled()) {
            return;
        }
        List<String> paths = new ArrayList<>();
        for (TargetState t : targets.values()) {
            if (t.drvPath != null && !rooted.contains(t.drvPath) && succeeded(t)) {
                rooted.add(t.drvPath);
                outputsOf(t).values().stream().filter(p -> p != null).forEach(paths::add);
            }
        }
        try {
            cx.queries().addRoots(paths, cx.files().rootsDir(cx.runId()).resolve("cached"), cancellation);
        } catch (GitopsException e) {
            LOG.warnf("ci run %d: cannot add garbage-collector roots for %d outputs: %s", cx.runId(), paths.size(),
                    e.getMessage());
        }
    }

    private boolean succeeded(TargetState t) {
        Node n = graph.node(t.drvPath);
        return n != null ? n.status == CiStatus.BUILT : t.status == null && expander.satisfied(t.drvPath);
    }

    private Map<String, String> outputsOf(TargetState t) {
        DerivationInfo info = t.drvPath == null ? null : expander.info(t.drvPath);
        return info != null ? info.outputs() : t.outputs;
    }

    private CiResult result(Duration took) {
        List<AttributeResult> out = new ArrayList<>();
        for (TargetState t : targets.values()) {
            out.add(resultOf(t));
        }
        // systems first: they are what a deployment waits for
        out.sort(Comparator.comparingInt((AttributeResult a) -> List.of(CiTarget.Kind.SYSTEM, CiTarget.Kind.SET,
                CiTarget.Kind.CHECK).indexOf(a.target().kind())).thenComparing(AttributeResult::attribute));
        return new CiResult(cx.runId(), cx.request().branch(), cx.request().commit(), out, built, took,
                cancellation.isCancelled() ? cancellation.reason() : null);
    }

    private AttributeResult resultOf(TargetState t) {
        Path evalLog = cx.evalRequest().log();
        if (t.evalError != null) {
            return new AttributeResult(t.target, null, Map.of(), CiStatus.EVAL_FAILED, Duration.ZERO, evalLog, t.evalError,
                    List.of());
        }
        Map<String, String> outputs = outputsOf(t);
        Node n = graph.node(t.drvPath);
        if (n != null && n.status != null) {
            if (n.status == CiStatus.DEPENDENCY_FAILED && n.cause != null) {
                return new AttributeResult(t.target, t.drvPath, outputs, n.status, Duration.ZERO, n.cause.log,
                        "dependency " + n.cause.info.name() + " " + (n.cause.status == CiStatus.SKIPPED_CACHED_FAILURE
                                ? "failed in an earlier run" : n.cause.status.word())
                                + (n.cause.error == null ? "" : ": " + n.cause.error), n.cause.tail);
            }
            return new AttributeResult(t.target, t.drvPath, outputs, n.status, n.duration, n.log, n.error,
                    n.status.succeeded() ? List.of() : n.tail);
        }
        if (t.status != null) {
            return new AttributeResult(t.target, t.drvPath, outputs, t.status, Duration.ZERO, null, t.error, List.of());
        }
        if (expander.satisfied(t.drvPath)) {
            return new AttributeResult(t.target, t.drvPath, outputs, CiStatus.CACHED, Duration.ZERO, null, null, List.of());
        }
        return new AttributeResult(t.target, t.drvPath, outputs, CiStatus.CANCELLED, Duration.ZERO, null,
                cancellation.reason(), List.of());
    }
}
