package org.gitopssync.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.gitopssync.Cancellation;
import org.gitopssync.config.DeploySettings.Operation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;
import org.jboss.logging.Logger;

/**
 * The activation every deploy method shares: capture what runs, activate, pass the health gate, then commit
 * (make it the boot default) or revert. With a gate, {@code switch} is {@code test}, probes, then {@code boot}:
 * the profile moves last, so a crash in between leaves the boot default and the profile on the old system.
 */
final class ActivationTemplate {

    private static final Logger LOG = Logger.getLogger(ActivationTemplate.class);

    /** One step of a method: activate {@code request}'s system with {@code op}; empty when it worked, else why not. */
    @FunctionalInterface
    interface Step {
        Optional<String> apply(ActivationRequest request, Operation op, Cancellation cancellation);
    }

    private final CommandRunner runner;
    private final SystemProfile profile;
    private final Duration timeout;
    private final Rollback rollback;
    private final HealthGate gate;
    private final TransientUnit unit;

    ActivationTemplate(CommandRunner runner, SystemProfile profile, Duration timeout, boolean rollbackOnFailure,
            HealthGate gate, TransientUnit unit) {
        this.runner = runner;
        this.profile = profile;
        this.timeout = timeout;
        this.rollback = new Rollback(runner, profile, timeout, rollbackOnFailure, unit);
        this.gate = gate;
        this.unit = unit;
    }

    TransientUnit unit() {
        return unit;
    }

    Activation activate(ActivationRequest request, Step step, Cancellation cancellation) {
        Rollback.Before before = rollback.capture();
        Integer prevGen = before.generation().map(SystemProfile.Generation::number).orElse(null);
        Operation op = request.operation();
        Path log = request.logFile();
        if (op != Operation.SWITCH || !gate.enabled()) {
            Optional<String> failed = step.apply(request, op, cancellation);
            if (failed.isPresent()) {
                request.beforeRevert().run();
                return rollback.afterFailure(before, op, log, failed.get());
            }
            return new Activation(ActivationStatus.SUCCEEDED, currentGeneration(), prevGen, null);
        }
        HealthGate.Snapshot snapshot;
        try {
            snapshot = gate.snapshot(log);
        } catch (DeployException e) {
            return new Activation(ActivationStatus.FAILED, prevGen, prevGen, e.getMessage());
        }
        Optional<String> failed = step.apply(request, Operation.TEST, cancellation);
        if (failed.isPresent()) {
            request.beforeRevert().run();
            return rollback.afterFailure(before, Operation.TEST, log, failed.get());
        }
        HealthGate.Verdict verdict = gate.await(snapshot, log);
        if (!verdict.passed()) {
            ProbeOutcome probe = verdict.failed();
            // the gate exists to revert: it does so whatever rollback_on_failure says
            request.beforeRevert().run();
            Activation reverted = rollback.revert(before, Operation.TEST, log, "health gate: " + probe.probe()
                    + " failed after " + verdict.rounds() + " round(s)" + (probe.output().isEmpty() ? ""
                            : ": " + probe.output()));
            return new Activation(reverted.status(), reverted.generation(), prevGen, reverted.error(), probe);
        }
        LOG.infof("health gate passed: making %s the boot default", request.outPath());
        failed = step.apply(request, Operation.BOOT, cancellation);
        if (failed.isPresent()) {
            request.beforeRevert().run();
            return rollback.afterFailure(before, Operation.SWITCH, log, "the system passed the health gate but"
                    + " making it the boot default failed: " + failed.get());
        }
        return new Activation(ActivationStatus.SUCCEEDED, currentGeneration(), prevGen, null);
    }

    /**
     * After a gate that never finished (the agent died): activates the system the profile names, the last one
     * committed, unless it already runs. Returns what was done, or empty when nothing had to be.
     */
    Optional<String> reactivateProfile(Path log) {
        Optional<SystemProfile.Generation> gen = profile.current();
        if (gen.isEmpty() || profile.running().filter(gen.get().outPath()::equals).isPresent()) {
            return Optional.empty();
        }
        String out = gen.get().outPath();
        LOG.infof("the last health gate never finished: re-activating generation %d (%s) with test",
                gen.get().number(), out);
        CommandResult r = runner.run(Command.of(unit.wrap(List.of(out + "/bin/switch-to-configuration", "test"), out,
                "test")).withTimeout(timeout).loggingTo(log), Cancellation.none());
        if (!r.succeeded()) {
            throw new DeployException("the last health gate never finished and re-activating generation "
                    + gen.get().number() + " (" + out + ") failed: " + r.failureSummary());
        }
        return Optional.of("the last health gate never finished: re-activated generation " + gen.get().number());
    }

    private Integer currentGeneration() {
        return profile.current().map(SystemProfile.Generation::number).orElse(null);
    }
}
