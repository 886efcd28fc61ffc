package org.gitopssync.ci;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gitopssync.Cancellation;
import org.gitopssync.ci.BuildGraph.Node;
import org.gitopssync.nix.LogTail;

/**
 * Turns evaluated derivations into build-graph nodes: only derivations whose outputs are
 * missing, walking down their inputs until it reaches what is already there (or, with
 * {@code skip_substitutable}, what a binary cache has). A derivation that failed in an earlier
 * run is settled at once from the failure cache. Confined to the run's loop thread.
 */
final class GraphExpander {

    /** What one expansion did: nodes settled at once, and how many nodes it added. */
    record Expansion(List<Node> settled, int added) {
    }

    private final BuildGraph graph;
    private final StoreQueries queries;
    private final FailureCache failures;
    private final boolean skipSubstitutable;
    private final Cancellation cancellation;
    private final Map<String, DerivationInfo> infos = new HashMap<>();
    /** Derivations whose outputs are present (or, with skip_substitutable, fetchable): never built. */
    private final Set<String> satisfied = new HashSet<>();

    GraphExpander(BuildGraph graph, StoreQueries queries, FailureCache failures, boolean skipSubstitutable,
            Cancellation cancellation) {
        this.graph = graph;
        this.queries = queries;
        this.failures = failures;
        this.skipSubstitutable = skipSubstitutable;
        this.cancellation = cancellation;
    }

    boolean satisfied(String drvPath) {
        return satisfied.contains(drvPath);
    }

    void markSatisfied(String drvPath) {
        satisfied.add(drvPath);
    }

    DerivationInfo info(String drvPath) {
        return infos.get(drvPath);
    }

    /** Adds what {@code jobs} need built; {@code needLocal} must be realised here even if a cache has them. */
    Expansion expand(List<EvalJob> jobs, Set<String> needLocal) {
        Set<String> roots = new LinkedHashSet<>();
        jobs.forEach(j -> roots.add(j.drvPath()));
        // the targets alone first: when they are all built already, their closures are never read
        learn(queries.show(roots.stream().filter(d -> !infos.containsKey(d)).toList(), false, cancellation));
        List<String> missing = missing(roots, needLocal);
        if (missing.isEmpty()) {
            return new Expansion(List.of(), 0);
        }
        Map<String, DerivationInfo> closure = queries.show(missing, true, cancellation);
        learn(closure);
        missing(closure.keySet().stream().filter(d -> !graph.contains(d) && !satisfied.contains(d)).toList(), needLocal);
        List<DerivationInfo> needed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(missing);
        while (!todo.isEmpty()) {
            String d = todo.poll();
            if (!seen.add(d) || graph.contains(d) || satisfied.contains(d)) {
                continue;
            }
            DerivationInfo info = infos.get(d);
            needed.add(info);
            todo.addAll(info.inputDrvs());
        }
        List<Node> settled = new ArrayList<>(graph.add(needed));
        for (EvalJob j : jobs) {
            Node n = graph.node(j.drvPath());
            if (n != null && !n.targets.contains(j.target())) {
                n.targets.add(j.target());
            }
        }
        for (DerivationInfo d : needed) {
            Node n = graph.node(d.drvPath());
            if (n.state == BuildGraph.State.DONE) {
                continue;
            }
            failures.lookup(d.drvPath()).ifPresent(f -> {
                n.error = "failed in ci run " + f.runId() + " at " + f.failedAt() + " (" + f.status().word() + ": "
                        + f.error() + "); not rebuilt until `gitops-sync ci --retry-failed`"
                        + " or `gitops-sync sync --once --force`";
                n.log = f.log();
                n.tail = LogTail.of(f.log(), BatchBuilder.TAIL_LINES, CiFiles.TAIL_BYTES);
                settled.add(n);
                settled.addAll(graph.finish(n, CiStatus.SKIPPED_CACHED_FAILURE));
            });
        }
        return new Expansion(settled, needed.size());
    }

    private void learn(Map<String, DerivationInfo> found) {
        infos.putAll(found);
    }

    /**
     * Of {@code drvs}, the ones that must be built: an output is not valid (or its path is not
     * known in advance). The others become satisfied.
     */
    private List<String> missing(Iterable<String> drvs, Set<String> needLocal) {
        List<String> candidates = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (String d : drvs) {
            DerivationInfo info = infos.get(d);
            if (info == null) {
                throw new CiException("nix did not describe " + d);
            }
            candidates.add(d);
            info.outputs().values().stream().filter(p -> p != null).forEach(paths::add);
        }
        Set<String> invalid = paths.isEmpty() ? Set.of() : queries.invalid(paths, cancellation);
        List<String> missing = new ArrayList<>();
        for (String d : candidates) {
            DerivationInfo info = infos.get(d);
            if (info.outputPathsKnown() && info.outputs().values().stream().noneMatch(invalid::contains)) {
                satisfied.add(d);
            } else {
                missing.add(d);
            }
        }
        if (skipSubstitutable && !missing.isEmpty()) {
            Set<String> fetchable = queries.substitutable(missing, cancellation);
            missing.removeIf(d -> {
                DerivationInfo info = infos.get(d);
                boolean skip = !needLocal.contains(d) && info.outputPathsKnown()
                        && fetchable.containsAll(info.outputs().values());
                if (skip) {
                    satisfied.add(d);
                }
                return skip;
            });
        }
        return missing;
    }
}
