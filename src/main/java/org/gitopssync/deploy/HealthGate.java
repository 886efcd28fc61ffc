package org.gitopssync.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.gitopssync.Cancellation;
import org.gitopssync.config.HealthSettings;
import org.gitopssync.config.SystemdDuration;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;
import org.jboss.logging.Logger;

/**
 * The health gate of {@code [deploy.health]}: after the new system is activated with {@code test}, waits
 * {@code settle}, then runs every probe until all pass in one round or {@code timeout} is over.
 */
public final class HealthGate {

    private static final Logger LOG = Logger.getLogger(HealthGate.class);
    private static final int OUTPUT_LINES = 5;
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
    private static final Duration SHORTEST_PAUSE = Duration.ofMillis(200);

    private final HealthSettings settings;
    private final List<HealthProbe> probes;
    private final CommandRunner runner;
    private final Reachability git;
    private final Pause pause;

    /** Whether the repository still answers: empty when it does, else why not. */
    @FunctionalInterface
    public interface Reachability {
        Optional<String> check();
    }

    /** Waits between rounds; the daemon's pause, replaceable so unit tests need not wait. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d);

        /** Sleeps; an interrupt ends the pause early and is kept for the caller to see. */
        static Pause sleeping() {
            return d -> {
                try {
                    Thread.sleep(d.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        }
    }

    public HealthGate(HealthSettings settings, CommandRunner runner, Reachability git, Pause pause) {
        this.settings = settings;
        this.probes = HealthProbe.of(settings);
        this.runner = runner;
        this.git = git;
        this.pause = pause;
    }

    /** A gate with no probe: switch stays one step. */
    public static HealthGate none(CommandRunner runner) {
        return new HealthGate(HealthSettings.none(), runner, Optional::empty, Pause.sleeping());
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** What must be true before activation for the probes to compare against: the units failed already. */
    record Snapshot(Set<String> failedUnits) {
    }

    /** How the gate ended: passed after some rounds, or the probe that still failed when time ran out. */
    record Verdict(boolean passed, int rounds, ProbeOutcome failed) {
    }

    /** Taken before activation; throws {@link DeployException} when the failed units cannot be listed. */
    Snapshot snapshot(Path log) {
        if (!settings.noNewFailedUnits()) {
            return new Snapshot(Set.of());
        }
        CommandResult r = listFailedUnits(log, settings.timeout());
        if (!r.succeeded()) {
            throw new DeployException("health gate: cannot list the failed units before activating (systemctl "
                    + r.failureSummary() + "); nothing was changed");
        }
        return new Snapshot(unitNames(r.stdout()));
    }

    /** Settles, then probes until every probe passes in one round or the timeout is over. */
    Verdict await(Snapshot before, Path log) {
        LOG.infof("health gate: waiting %s, then probing %d probe(s) for up to %s", format(settings.settle()),
                probes.size(), format(settings.timeout()));
        pause.pause(settings.settle());
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        Duration between = between();
        int round = 0;
        while (true) {
            round++;
            ProbeOutcome failed = round(before, log, deadline);
            if (failed == null) {
                LOG.infof("health gate: all probes passed (round %d)", round);
                return new Verdict(true, round, null);
            }
            LOG.debugf("health gate: round %d: %s failed: %s", round, failed.probe(), failed.output());
            if (System.nanoTime() + between.toNanos() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                LOG.warnf("health gate: %s still failing after %s (%d rounds)", failed.probe(),
                        format(settings.timeout()), round);
                return new Verdict(false, round, failed);
            }
            pause.pause(between);
        }
    }

    private Duration between() {
        Duration d = settings.timeout().dividedBy(24);
        return d.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : d.compareTo(SHORTEST_PAUSE) < 0 ? SHORTEST_PAUSE : d;
    }

    /** The first probe that failed this round, or null. */
    private ProbeOutcome round(Snapshot before, Path log, long deadline) {
        for (HealthProbe probe : probes) {
            ProbeOutcome outcome = run(probe, before, log, remaining(deadline));
            if (!outcome.passed()) {
                return outcome;
            }
        }
        return null;
    }

    private static Duration remaining(long deadline) {
        long left = deadline - System.nanoTime();
        // a probe started at the deadline still gets a moment: the gate's last round must be able to pass
        return Duration.ofNanos(Math.max(left, Duration.ofSeconds(1).toNanos()));
    }

    private ProbeOutcome run(HealthProbe probe, Snapshot before, Path log, Duration timeout) {
        switch (probe.kind()) {
            case COMMAND -> {
                CommandResult r = runner.run(Command.of(probe.argv()).withTimeout(timeout).loggingTo(log),
                        Cancellation.none());
                return new ProbeOutcome(probe.name(), r.succeeded(), r.succeeded() ? "" : tail(r));
            }
            case UNIT -> {
                CommandResult r = runner.run(Command.of("systemctl", "is-active", probe.argv().get(0))
                        .withTimeout(timeout).capturingStdout().loggingTo(log), Cancellation.none());
                String state = r.stdout().strip();
                return new ProbeOutcome(probe.name(), r.succeeded(), r.succeeded() ? ""
                        : state.isEmpty() ? tail(r) : probe.argv().get(0) + " is " + state);
            }
            case NO_NEW_FAILED_UNITS -> {
                CommandResult r = listFailedUnits(log, timeout);
                if (!r.succeeded()) {
                    return new ProbeOutcome(probe.name(), false, "systemctl list-units --failed " + r.failureSummary());
                }
                Set<String> now = unitNames(r.stdout());
                now.removeAll(before.failedUnits());
                return new ProbeOutcome(probe.name(), now.isEmpty(), now.isEmpty() ? ""
                        : "failed since activation: " + String.join(", ", now));
            }
            case GIT_REACHABLE -> {
                Optional<String> why = git.check();
                return new ProbeOutcome(probe.name(), why.isEmpty(), why.orElse(""));
            }
            default -> throw new IllegalStateException(probe.kind().name());
        }
    }

    private CommandResult listFailedUnits(Path log, Duration timeout) {
        return runner.run(Command.of("systemctl", "list-units", "--failed", "--plain", "--no-legend", "--no-pager")
                .withTimeout(timeout).capturingStdout().loggingTo(log), Cancellation.none());
    }

    private static Set<String> unitNames(String listing) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : listing.split("\n")) {
            String l = line.strip();
            if (l.startsWith("●") || l.startsWith("*")) {
                l = l.substring(1).strip();
            }
            if (!l.isEmpty()) {
                out.add(l.split("\\s+")[0]);
            }
        }
        return out;
    }

    private static String tail(CommandResult r) {
        List<String> lines = r.outputTail();
        List<String> last = lines.subList(Math.max(0, lines.size() - OUTPUT_LINES), lines.size());
        String out = String.join("\n", last).strip();
        String how = r.termination() == CommandResult.Termination.EXITED ? "exit status " + r.exitCode()
                : r.failureSummary();
        return out.isEmpty() ? how : how + ": " + out;
    }

    private static String format(Duration d) {
        return SystemdDuration.format(d);
    }
}
