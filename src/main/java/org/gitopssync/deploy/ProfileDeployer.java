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
 * Activates the way nixos-rebuild does it underneath: {@code nix-env -p <profile> --set <out>}
 * (switch and boot only), then {@code <out>/bin/switch-to-configuration <op>}.
 */
public final class ProfileDeployer implements Deployer {

    private static final Logger LOG = Logger.getLogger(ProfileDeployer.class);

    private final CommandRunner runner;
    private final SystemProfile profile;
    private final Duration timeout;
    private final ActivationTemplate template;

    public ProfileDeployer(CommandRunner runner, SystemProfile profile, Duration timeout, boolean rollbackOnFailure) {
        this(runner, profile, timeout, rollbackOnFailure, HealthGate.none(runner), TransientUnit.never());
    }

    public ProfileDeployer(CommandRunner runner, SystemProfile profile, Duration timeout, boolean rollbackOnFailure,
            HealthGate gate, TransientUnit unit) {
        this.runner = runner;
        this.profile = profile;
        this.timeout = timeout;
        this.template = new ActivationTemplate(runner, profile, timeout, rollbackOnFailure, gate, unit);
    }

    @Override
    public String method() {
        return "profile";
    }

    @Override
    public Activation activate(ActivationRequest request, Cancellation cancellation) {
        return template.activate(request, this::step, cancellation);
    }

    @Override
    public Optional<String> reactivateProfile(Path log) {
        return template.reactivateProfile(log);
    }

    private Optional<String> step(ActivationRequest request, Operation op, Cancellation cancellation) {
        if (op.setsProfile()) {
            CommandResult set = runner.run(Command.of("nix-env", "-p", profile.path().toString(), "--set",
                    request.outPath()).withTimeout(timeout).loggingTo(request.logFile()), cancellation);
            if (!set.succeeded()) {
                return Optional.of("setting profile " + profile.path() + " failed: " + set.failureSummary());
            }
        }
        if (op == Operation.BUILD) {
            return Optional.empty();
        }
        LOG.debugf("running %s/bin/switch-to-configuration %s", request.outPath(), op.word());
        List<String> argv = List.of(request.outPath() + "/bin/switch-to-configuration", op.word());
        CommandResult result = runner.run(Command.of(template.unit().wrap(argv, request.outPath(), op.word()))
                .withTimeout(timeout).loggingTo(request.logFile()), cancellation);
        if (!result.succeeded()) {
            return Optional.of("switch-to-configuration " + op.word() + " failed: " + result.failureSummary());
        }
        return Optional.empty();
    }
}
