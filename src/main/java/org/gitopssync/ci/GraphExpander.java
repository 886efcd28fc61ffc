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
        // outputs the evaluation named spare reading those derivations just to learn them
        Map<String, Map<String, String>> named = new HashMap<>();
        for (EvalJob j : jobs) {
            if (!infos.containsKey(j.drvPath()) && inStore(j.drvPath(), j.outputs())) {
                named.put(j.drvPath(), j.outputs());
            }
        }
        // the targets alone first: when they are all built already, their closures are never read
        learn(queries.show(roots.stream().filter(d -> !infos.containsKey(d) && !named.containsKey(d)).toList(), false,
                cancellation));
        List<String> missing = missing(roots, needLocal, named);
        if (missing.isEmpty()) {
            return new Expansion(List.of(), 0);
        }
        Map<String, DerivationInfo> closure = queries.show(missing, true, cancellation);
        learn(closure);
        missing(closure.keySet().stream().filter(d -> !graph.contains(d) && !satisfied.contains(d)).toList(), needLocal,
                Map.of());
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
     * Whether the evaluation named {@code drvPath}'s outputs as paths of its store: not at all for
     * some evaluators, and a placeholder, not a path, for an output only its build can name.
     */
    private static boolean inStore(String drvPath, Map<String, String> outputs) {
        String storeDir = DerivationJson.storeDirOf(drvPath) + "/";
        return !outputs.isEmpty() && outputs.values().stream().allMatch(p -> p.startsWith(storeDir)
                && p.indexOf('/', storeDir.length()) < 0);
    }

    /**
     * Of {@code drvs}, the ones that must be built: an output is not valid (or its path is not
     * known in advance). The others become satisfied. A derivation not read from the store yet
     * has its outputs in {@code named}.
     */
    private List<String> missing(Iterable<String> drvs, Set<String> needLocal, Map<String, Map<String, String>> named) {
        List<String> candidates = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (String d : drvs) {
            if (!infos.containsKey(d) && !named.containsKey(d)) {
                throw new CiException("nix did not describe " + d);
            }
            candidates.add(d);
            outputsOf(d, named).values().stream().filter(p -> p != null).forEach(paths::add);
        }
        Set<String> invalid = paths.isEmpty() ? Set.of() : queries.invalid(paths, cancellation);
        List<String> missing = new ArrayList<>();
        for (String d : candidates) {
            if (pathsKnown(d) && outputsOf(d, named).values().stream().noneMatch(invalid::contains)) {
                satisfied.add(d);
            } else {
                missing.add(d);
            }
        }
        if (skipSubstitutable && !missing.isEmpty()) {
            Set<String> fetchable = queries.substitutable(missing, cancellation);
            missing.removeIf(d -> {
                boolean skip = !needLocal.contains(d) && pathsKnown(d)
                        && fetchable.containsAll(outputsOf(d, named).values());
                if (skip) {
                    satisfied.add(d);
                }
                return skip;
            });
        }
        return missing;
    }

    /** {@code d}'s outputs: as read from the store, else as the evaluation named them. */
    private Map<String, String> outputsOf(String d, Map<String, Map<String, String>> named) {
        DerivationInfo info = infos.get(d);
        return info != null ? info.outputs() : named.get(d);
    }

    /** Whether {@code d}'s output paths are known before it is built; the ones the evaluation named always are. */
    private boolean pathsKnown(String d) {
        DerivationInfo info = infos.get(d);
        return info == null || info.outputPathsKnown();
    }
}
