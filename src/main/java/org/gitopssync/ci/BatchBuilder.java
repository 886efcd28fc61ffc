package org.gitopssync.ci;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.gitopssync.Cancellation;
import org.gitopssync.GitopsException;
import org.gitopssync.config.SystemdDuration;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;

/**
 * Builds a few ready derivations in one Nix process, one after the other, each with its own log
 * file and both timeouts. Several per process because each Nix process costs 100-200 ms of its
 * own before building anything (store, build hook), more than a small build; a batch of one is
 * a plain {@code nix-store --realise <drv>}.
 */
final class BatchBuilder {

    static final int TAIL_LINES = 20;
    /** Beyond Nix's own limits, how long a batch process may stay silent before it is killed as hung. */
    private static final Duration HANG_MARGIN = Duration.ofMinutes(1);

    /** One derivation to build, the log file it writes, and its output paths (null when not known ahead). */
    record Item(String drvPath, Path log, List<String> outputs) {
    }

    /** How one build ended. */
    /**
     * How one derivation of a batch ended. {@code ownFailure}: nix named this derivation's builder as
     * the failure, so rebuilding the same derivation would fail again; a killed or broken nix process
     * (daemon down, disk full, silence kill of the whole batch) says nothing about the derivation.
     */
    record Outcome(CiStatus status, Duration duration, String error, List<String> tail, boolean ownFailure) {

        Outcome {
            tail = List.copyOf(tail);
        }
    }

    private final CommandRunner runner;
    private final NixCommands commands;
    private final StoreQueries queries;
    private final Duration noOutputTimeout;
    private final Duration maxDuration;

    BatchBuilder(CommandRunner runner, NixCommands commands, StoreQueries queries, Duration noOutputTimeout,
            Duration maxDuration) {
        this.runner = runner;
        this.commands = commands;
        this.queries = queries;
        this.noOutputTimeout = noOutputTimeout;
        this.maxDuration = maxDuration;
    }

    /**
     * Realises the items; with {@code root}, their outputs are rooted when all succeed.
     * {@code started} hears each build start (drv path, nanoTime) from the reader thread.
     */
    Map<String, Outcome> build(List<Item> items, Path root, Cancellation cancellation,
            BiConsumer<String, Long> started) {
        Map<String, Path> logs = new LinkedHashMap<>();
        items.forEach(i -> logs.put(i.drvPath(), i.log()));
        CommandResult r;
        try (BuildLogDemux demux = new BuildLogDemux(logs, TAIL_LINES, started)) {
            Command command = Command.of(commands.realise(List.copyOf(logs.keySet()), root, noOutputTimeout, maxDuration))
                    .streamingStderrTo(demux::accept)
                    .withNoOutputTimeout(noOutputTimeout.plus(HANG_MARGIN))
                    .withTimeout(maxDuration.multipliedBy(items.size()).plus(HANG_MARGIN));
            r = runner.run(commands.reachingRemote(command), cancellation);
            if (commands.remoteStore()) {
                bringBack(items, r, root);
            }
            return outcomes(items, r, demux, cancellation);
        }
    }

    /**
     * A remote store built the batch: what it built is copied here (where the caches, the deploy
     * stage and the roots need it), then rooted as a local build would have been. A copy that fails
     * fails the batch: an output this machine does not hold cannot be deployed or pushed.
     */
    private void bringBack(List<Item> items, CommandResult r, Path root) {
        List<String> outputs = new ArrayList<>();
        items.forEach(i -> i.outputs().stream().filter(p -> p != null).forEach(outputs::add));
        if (r.termination() == CommandResult.Termination.CANCELLED || outputs.isEmpty()) {
            return;
        }
        List<String> built = outputs;
        if (!r.succeeded()) {
            Set<String> missing = queries.invalidRemotely(outputs, Cancellation.none());
            built = outputs.stream().filter(p -> !missing.contains(p)).toList();
        }
        if (!built.isEmpty()) {
            queries.copyFromRemote(built, Cancellation.none());
        }
        if (root != null && r.succeeded()) {
            queries.addRoots(built, root, Cancellation.none());
        }
    }

    private Map<String, Outcome> outcomes(List<Item> items, CommandResult r, BuildLogDemux demux,
            Cancellation cancellation) {
        Map<String, Duration> durations = durations(demux.starts(), System.nanoTime());
        Map<String, Outcome> out = new LinkedHashMap<>();
        Set<String> invalid = r.succeeded() ? Set.of() : stillMissing(items);
        for (Item i : items) {
            Duration took = durations.getOrDefault(i.drvPath(), Duration.ZERO);
            String error = demux.error(i.drvPath());
            List<String> tail = demux.tail(i.drvPath());
            boolean built = r.succeeded() || invalid != null && i.outputs().stream().allMatch(p -> p != null
                    && !invalid.contains(p));
            CiStatus status;
            boolean own = false;
            if (built) {
                status = CiStatus.BUILT;
                error = null;
            } else if (error != null) {
                status = error.contains("timed out") ? CiStatus.TIMED_OUT : CiStatus.FAILED;
                error = explain(error);
                own = true;
            } else if (r.termination() == CommandResult.Termination.CANCELLED) {
                status = CiStatus.CANCELLED;
                error = cancellation.reason();
            } else if (r.termination() != CommandResult.Termination.EXITED) {
                status = CiStatus.TIMED_OUT;
                error = "the nix process building it " + r.failureSummary().replaceFirst("^\\S+ ", "");
            } else {
                status = CiStatus.FAILED;
                List<String> other = demux.otherErrors();
                error = other.isEmpty() ? r.failureSummary() : other.get(other.size() - 1);
            }
            out.put(i.drvPath(), new Outcome(status, took, error, status == CiStatus.BUILT ? List.of() : tail, own));
        }
        return out;
    }

    /** Which outputs are still not valid after a batch that did not fully succeed; null if that cannot be told. */
    private Set<String> stillMissing(List<Item> items) {
        List<String> paths = new ArrayList<>();
        items.forEach(i -> i.outputs().stream().filter(p -> p != null).forEach(paths::add));
        try {
            // asked even when the run is cancelled: what did build should be known
            return paths.isEmpty() ? Set.of() : queries.invalid(paths, Cancellation.none());
        } catch (GitopsException e) {
            return null;
        }
    }

    /** Nix's words for its own timeouts, in the settings' terms. */
    private String explain(String error) {
        if (error.contains("of silence")) {
            return "no output for " + SystemdDuration.format(noOutputTimeout) + " (ci.no_output_timeout); killed";
        }
        if (error.contains("timed out")) {
            return "still building after " + SystemdDuration.format(maxDuration) + " (ci.max_build_duration); killed";
        }
        return error;
    }

    /** One build at a time per process: each ran from its start to the next start (or the end). */
    static Map<String, Duration> durations(Map<String, Long> starts, long end) {
        Map<String, Duration> out = new LinkedHashMap<>();
        List<Map.Entry<String, Long>> ordered = new ArrayList<>(starts.entrySet());
        for (int k = 0; k < ordered.size(); k++) {
            long stop = k + 1 < ordered.size() ? ordered.get(k + 1).getValue() : end;
            out.put(ordered.get(k).getKey(), Duration.ofNanos(Math.max(0, stop - ordered.get(k).getValue())));
        }
        return out;
    }
}
