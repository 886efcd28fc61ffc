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
 * Puts the machine back where it was after a failed activation: the profile back to the previous
 * generation (only if this attempt moved it) and the previous system re-activated.
 */
final class Rollback {

    private static final Logger LOG = Logger.getLogger(Rollback.class);

    private final CommandRunner runner;
    private final SystemProfile profile;
    private final Duration timeout;
    private final boolean enabled;
    private final TransientUnit unit;

    Rollback(CommandRunner runner, SystemProfile profile, Duration timeout, boolean enabled, TransientUnit unit) {
        this.runner = runner;
        this.profile = profile;
        this.timeout = timeout;
        this.enabled = enabled;
        this.unit = unit;
    }

    /** What was true before the attempt: needed to undo it. */
    record Before(Optional<SystemProfile.Generation> generation, Optional<String> running) {
    }

    Before capture() {
        return new Before(profile.current(), profile.running());
    }

    /** The outcome of a failed attempt: rolled back when {@code deploy.rollback_on_failure}, else left as it is. */
    Activation afterFailure(Before before, Operation op, Path log, String error) {
        if (!enabled) {
            return new Activation(ActivationStatus.FAILED, profile.current().map(SystemProfile.Generation::number).orElse(null),
                    before.generation().map(SystemProfile.Generation::number).orElse(null), error);
        }
        return undo(before, op, log, error);
    }

    /** Puts the previous system back whatever {@code rollback_on_failure} says (the health gate failed). */
    Activation revert(Before before, Operation op, Path log, String error) {
        return undo(before, op, log, error);
    }

    private Activation undo(Before before, Operation op, Path log, String error) {
        Cancellation uncancellable = Cancellation.none();
        Optional<SystemProfile.Generation> now = profile.current();
        Integer failedGen = now.map(SystemProfile.Generation::number).orElse(null);
        Integer prevGen = before.generation().map(SystemProfile.Generation::number).orElse(null);
        boolean profileMoved = now.isPresent() && !now.equals(before.generation());
        try {
            boolean undone = false;
            if (profileMoved && prevGen != null) {
                LOG.infof("rollback: profile %s back to generation %d", profile.path(), prevGen);
                check(runner.run(Command.of("nix-env", "-p", profile.path().toString(), "--switch-generation",
                        String.valueOf(prevGen)).withTimeout(timeout).loggingTo(log), uncancellable));
                undone = true;
            }
            Optional<String> reactivate = op == Operation.BOOT
                    ? before.generation().map(SystemProfile.Generation::outPath)
                    : before.running();
            if (op != Operation.DRY_ACTIVATE && op != Operation.BUILD && reactivate.isPresent()) {
                LOG.infof("rollback: re-activating %s (%s)", reactivate.get(), op.word());
                check(runner.run(Command.of(unit.wrap(List.of(reactivate.get() + "/bin/switch-to-configuration",
                        op.word()), reactivate.get(), op.word()))
                        .withTimeout(timeout).loggingTo(log), uncancellable));
                undone = true;
            }
            if (!undone) {
                return new Activation(ActivationStatus.FAILED, failedGen, prevGen, error + "; there was no previous system to roll back to");
            }
            return new Activation(ActivationStatus.ROLLED_BACK, prevGen, prevGen, error + "; rolled back"
                    + (prevGen == null ? "" : " to generation " + prevGen));
        } catch (RuntimeException e) {
            return new Activation(ActivationStatus.ROLLBACK_FAILED, failedGen, prevGen, error + "; rollback failed too: "
                    + e.getMessage());
        }
    }

    private static void check(CommandResult r) {
        if (!r.succeeded()) {
            throw new DeployException(r.failureSummary());
        }
    }
}
