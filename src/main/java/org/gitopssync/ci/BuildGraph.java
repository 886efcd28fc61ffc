package org.gitopssync.ci;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The derivations a run has to build and what depends on what; grows while evaluation streams.
 * Only derivations whose outputs are missing are nodes; a node becomes ready when every
 * dependency has built, and a failure settles all its dependents as "dependency failed".
 * Ready nodes come out longest chain of dependents first, so the critical path starts early.
 * Confined to one thread.
 */
final class BuildGraph {

    /** Where a node is in its life. */
    enum State { WAITING, READY, RUNNING, DONE }

    /** One derivation to build. */
    static final class Node {
        final DerivationInfo info;
        final Set<Node> deps = new LinkedHashSet<>();
        final Set<Node> dependents = new LinkedHashSet<>();
        final List<CiTarget> targets = new ArrayList<>();
        State state = State.WAITING;
        int unbuiltDeps;
        /** The longest chain of dependents above this node: its priority. */
        int height;
        long order;
        CiStatus status;
        /** For "dependency failed": the failed derivation that caused it. */
        Node cause;
        String error;
        List<String> tail = List.of();
        Path log;
        Duration duration = Duration.ZERO;

        Node(DerivationInfo info) {
            this.info = info;
        }

        String drvPath() {
            return info.drvPath();
        }

        /** The first attribute built from it, else the derivation's name. */
        String label() {
            return targets.isEmpty() ? info.name() : targets.get(0).attribute();
        }

        boolean failed() {
            return state == State.DONE && !status.succeeded();
        }

        @Override
        public String toString() {
            return drvPath() + " [" + state + (status == null ? "" : " " + status.word()) + "]";
        }
    }

    private final Map<String, Node> nodes = new HashMap<>();
    private final PriorityQueue<Node> ready = new PriorityQueue<>(
            Comparator.comparingInt((Node n) -> -n.height).thenComparingLong(n -> n.order));
    private long added;
    private int running;

    Node node(String drvPath) {
        return nodes.get(drvPath);
    }

    boolean contains(String drvPath) {
        return nodes.containsKey(drvPath);
    }

    int size() {
        return nodes.size();
    }

    int running() {
        return running;
    }

    int readyCount() {
        return ready.size();
    }

    /** The height of the node {@link #takeReady} gives first: how long a chain of dependents waits on it; -1 if none is ready. */
    int readyHeight() {
        Node first = ready.peek();
        return first == null ? -1 : first.height;
    }

    /** Nodes not yet settled: waiting, ready or running. */
    int unsettled() {
        return (int) nodes.values().stream().filter(n -> n.state != State.DONE).count();
    }

    /**
     * Adds derivations that need building; their inputs that are nodes become edges (inputs
     * not in the graph are taken to be built already). Returns nodes this settled at once
     * because a dependency had already failed.
     */
    List<Node> add(Collection<DerivationInfo> needed) {
        List<Node> added = new ArrayList<>();
        for (DerivationInfo d : needed) {
            if (!nodes.containsKey(d.drvPath())) {
                Node n = new Node(d);
                nodes.put(d.drvPath(), n);
                added.add(n);
            }
        }
        for (Node n : added) {
            n.order = this.added++;
            for (String input : n.info.inputDrvs()) {
                Node dep = nodes.get(input);
                if (dep != null) {
                    n.deps.add(dep);
                    dep.dependents.add(n);
                }
            }
        }
        raiseHeights(added);
        List<Node> settled = new ArrayList<>();
        for (Node n : added) {
            if (n.state == State.DONE) {
                continue;
            }
            for (Node dep : n.deps) {
                if (dep.failed()) {
                    settled.addAll(dependencyFailed(n, rootCause(dep)));
                    break;
                }
            }
        }
        for (Node n : added) {
            if (n.state == State.WAITING) {
                n.unbuiltDeps = (int) n.deps.stream().filter(d -> d.state != State.DONE).count();
                if (n.unbuiltDeps == 0) {
                    n.state = State.READY;
                    ready.add(n);
                }
            }
        }
        return settled;
    }

    /** Up to {@code max} ready nodes, now counted as running. */
    List<Node> takeReady(int max) {
        List<Node> out = new ArrayList<>();
        while (out.size() < max && !ready.isEmpty()) {
            Node n = ready.poll();
            n.state = State.RUNNING;
            running++;
            out.add(n);
        }
        return out;
    }

    /**
     * Settles a node (after its build, or instead of it, e.g. a cached failure). Success may make
     * dependents ready; failure settles them all as "dependency failed", which are returned.
     */
    List<Node> finish(Node n, CiStatus status) {
        if (n.state == State.RUNNING) {
            running--;
        } else if (n.state == State.READY) {
            ready.remove(n);
        }
        n.state = State.DONE;
        n.status = status;
        if (status.succeeded()) {
            for (Node d : n.dependents) {
                if (d.state == State.WAITING && --d.unbuiltDeps == 0) {
                    d.state = State.READY;
                    ready.add(d);
                }
            }
            return List.of();
        }
        List<Node> settled = new ArrayList<>();
        if (status != CiStatus.CANCELLED) {
            for (Node d : n.dependents) {
                settled.addAll(dependencyFailed(d, n));
            }
        }
        return settled;
    }

    /** Settles everything not yet running as cancelled; returns those nodes. */
    List<Node> cancelPending() {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.state == State.WAITING || n.state == State.READY) {
                n.state = State.DONE;
                n.status = CiStatus.CANCELLED;
                out.add(n);
            }
        }
        ready.clear();
        return out;
    }

    /** Each new node sits at least one above its dependents; older nodes below them may rise. */
    private void raiseHeights(List<Node> added) {
        Deque<Node> todo = new ArrayDeque<>();
        for (Node n : added) {
            if (n.dependents.isEmpty()) {
                todo.add(n);
            }
        }
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            for (Node dep : n.deps) {
                if (dep.height < n.height + 1) {
                    boolean queued = dep.state == State.READY && ready.remove(dep);
                    dep.height = n.height + 1;
                    if (queued) {
                        ready.add(dep);
                    }
                    todo.add(dep);
                }
            }
        }
    }

    private List<Node> dependencyFailed(Node start, Node cause) {
        List<Node> settled = new ArrayList<>();
        Deque<Node> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            if (n.state == State.DONE || n.state == State.RUNNING) {
                continue;
            }
            if (n.state == State.READY) {
                ready.remove(n);
            }
            n.state = State.DONE;
            n.status = CiStatus.DEPENDENCY_FAILED;
            n.cause = cause;
            settled.add(n);
            todo.addAll(n.dependents);
        }
        return settled;
    }

    private static Node rootCause(Node failed) {
        return failed.status == CiStatus.DEPENDENCY_FAILED && failed.cause != null ? failed.cause : failed;
    }
}
