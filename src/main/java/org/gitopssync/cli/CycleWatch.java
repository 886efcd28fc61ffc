package org.gitopssync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import org.gitopssync.GitopsException;
import org.gitopssync.config.Settings;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.CycleRecord;
import org.gitopssync.state.StateStore;

/**
 * {@code status --watch}: follows the running cycle (or the next one) until it ends, through the daemon's
 * {@code /api/events} when a daemon listens, else by reading the state store; the exit code is the outcome's.
 */
final class CycleWatch {

    private static final Duration POLL = Duration.ofMillis(500);

    private final Settings settings;
    private final PrintWriter out;

    CycleWatch(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    int run() {
        try (StateStore store = StateStore.open(settings.stateDir())) {
            Optional<CycleRecord> latest = store.recentCycles(1).stream().findFirst();
            Target target = latest.filter(c -> c.outcome() == CycleOutcome.RUNNING)
                    .map(c -> Target.running(c.id())).orElseGet(() -> Target.after(latest.map(CycleRecord::id).orElse(0L)));
            Optional<DaemonEvents> daemon = DaemonEvents.connect(settings.web());
            if (daemon.isPresent()) {
                out.println("following the daemon's events at " + daemon.get().url());
            } else {
                out.println("following the state store in " + settings.stateDir() + " (no daemon answers"
                        + (settings.web().enable() ? " on " + settings.web().address() + ":" + settings.web().port() : "")
                        + ")");
            }
            out.println(target.cycle > 0 ? "cycle #" + target.cycle + " is running"
                    : "waiting for the next cycle (the last was #" + target.after + ")");
            out.flush();
            if (daemon.isPresent()) {
                try (DaemonEvents events = daemon.get()) {
                    Optional<Long> ended = followEvents(events, target);
                    if (ended.isPresent()) {
                        return outcome(store, ended.get());
                    }
                }
                out.println("the daemon's event stream ended; following the state store");
            }
            return outcome(store, pollStore(store, target));
        }
    }

    /** The cycle that ended, or empty when the stream ended first. */
    private Optional<Long> followEvents(DaemonEvents events, Target target) {
        Optional<DaemonEvents.Event> next;
        while ((next = events.next()).isPresent()) {
            DaemonEvents.Event e = next.get();
            JsonNode data = e.data();
            long cycle = data.path("cycle").asLong(-1);
            if (!target.accepts(cycle)) {
                continue;
            }
            target.lock(cycle);
            switch (e.type()) {
                case "cycle-started" -> out.println("cycle #" + cycle + " started (" + data.path("trigger").asText() + ")");
                case "stage-entered" -> out.println("cycle #" + cycle + ": " + data.path("stage").asText()
                        + (data.path("commit").isTextual() ? " " + abbrev(data.path("commit").asText()) : ""));
                case "attribute-built" -> out.println("  " + data.path("status").asText() + " "
                        + data.path("attribute").asText());
                case "cycle-finished" -> {
                    return Optional.of(cycle);
                }
                default -> {
                    // a newer daemon may send more types
                }
            }
            out.flush();
        }
        return Optional.empty();
    }

    /** Reads the store until the target cycle has ended, printing each stage it enters. */
    private long pollStore(StateStore store, Target target) {
        String shownStage = null;
        while (true) {
            Optional<CycleRecord> c = target.cycle > 0 ? store.cycle(target.cycle)
                    : store.recentCycles(1).stream().filter(r -> r.id() > target.after).findFirst();
            if (c.isPresent()) {
                CycleRecord r = c.get();
                if (target.cycle <= 0) {
                    target.lock(r.id());
                    out.println("cycle #" + r.id() + " started (" + r.trigger() + ")");
                }
                if (r.stage() != null && !r.stage().equals(shownStage) && r.outcome() == CycleOutcome.RUNNING) {
                    shownStage = r.stage();
                    out.println("cycle #" + r.id() + ": " + r.stage() + (r.commit() == null ? "" : " " + abbrev(r.commit())));
                }
                out.flush();
                if (r.outcome() != CycleOutcome.RUNNING) {
                    return r.id();
                }
            }
            pause();
        }
    }

    private int outcome(StateStore store, long id) {
        Optional<CycleRecord> c = store.cycle(id);
        // the daemon records the cycle before it tells anyone, so the row is there
        if (c.isEmpty() || c.get().outcome() == CycleOutcome.RUNNING) {
            out.println("cycle #" + id + " ended; its outcome is not in " + settings.stateDir() + " (another state directory?)");
            out.flush();
            return ExitCodes.FAILED;
        }
        CycleRecord r = c.get();
        String took = r.finishedAt() == null ? "" : " in " + seconds(Duration.between(r.startedAt(), r.finishedAt()));
        out.println("cycle #" + r.id() + ": " + r.outcome().word() + took
                + (r.commit() == null ? "" : " (" + abbrev(r.commit()) + ")")
                + (r.error() == null ? "" : " in " + r.stage() + ": " + r.error()));
        out.flush();
        return r.outcome().isFailure() ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WatchInterruptedException();
        }
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private static String abbrev(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    /** Which cycle the watch follows: a known running one, or the first after a given id. */
    private static final class Target {
        long cycle;
        final long after;

        private Target(long cycle, long after) {
            this.cycle = cycle;
            this.after = after;
        }

        static Target running(long id) {
            return new Target(id, id - 1);
        }

        static Target after(long id) {
            return new Target(0, id);
        }

        boolean accepts(long id) {
            return cycle > 0 ? id == cycle : id > after;
        }

        void lock(long id) {
            if (cycle <= 0) {
                cycle = id;
            }
        }
    }

    /** Ctrl-C or a stop while waiting: nothing to report. */
    static final class WatchInterruptedException extends GitopsException {
        WatchInterruptedException() {
            super("status --watch: interrupted before the cycle ended");
        }
    }
}
