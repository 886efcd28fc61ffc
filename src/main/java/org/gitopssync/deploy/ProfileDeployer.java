package org.gitopssync.deploy;

import java.time.Duration;
import java.util.List;
import org.gitopssync.Cancellation;
import org.gitopssync.config.DeploySettings.Operation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.state.DeploymentRecord.Status;
import org.jboss.logging.Logger;

/**
 * Activates the way nixos-rebuild does it underneath: {@code nix-env -p <profile> --set <out>}
 * (switch and boot only), then {@code <out>/bin/switch-to-configuration <op>}.
 */
public final class ProfileDeployer implements Deployer {

    private static final Logger LOG = Logger.getLogger(ProfileDeployer.class);

    private final CommandRunner runner;
    private final SystemProfile profile;
    private final Duration timeout;
    private final Rollback rollback;

    public ProfileDeployer(CommandRunner runner, SystemProfile profile, Duration timeout, boolean rollbackOnFailure) {
        this.runner = runner;
        this.profile = profile;
        this.timeout = timeout;
        this.rollback = new Rollback(runner, profile, timeout, rollbackOnFailure);
    }

    @Override
    public String method() {
        return "profile";
    }

    @Override
    public Activation activate(ActivationRequest request, Cancellation cancellation) {
        Rollback.Before before = rollback.capture();
        Integer prevGen = before.generation().map(SystemProfile.Generation::number).orElse(null);
        Operation op = request.operation();
        if (op.setsProfile()) {
            CommandResult set = runner.run(Command.of("nix-env", "-p", profile.path().toString(), "--set",
                    request.outPath()).withTimeout(timeout).loggingTo(request.logFile()), cancellation);
            if (!set.succeeded()) {
                return rollback.afterFailure(before, op, request.logFile(), "setting profile " + profile.path() + " failed: "
                        + set.failureSummary());
            }
        }
        Integer generation = profile.current().map(SystemProfile.Generation::number).orElse(null);
        if (op == Operation.BUILD) {
            return new Activation(Status.SUCCEEDED, generation, prevGen, null);
        }
        LOG.debugf("running %s/bin/switch-to-configuration %s", request.outPath(), op.word());
        CommandResult result = runner.run(Command.of(List.of(request.outPath() + "/bin/switch-to-configuration",
                op.word())).withTimeout(timeout).loggingTo(request.logFile()), cancellation);
        if (!result.succeeded()) {
            return rollback.afterFailure(before, op, request.logFile(), "switch-to-configuration " + op.word() + " failed: "
                    + result.failureSummary());
        }
        return new Activation(Status.SUCCEEDED, generation, prevGen, null);
    }
}
