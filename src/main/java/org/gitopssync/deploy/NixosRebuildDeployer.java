package org.gitopssync.deploy;

import java.time.Duration;
import java.util.List;
import org.gitopssync.Cancellation;
import org.gitopssync.config.DeploySettings.Operation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.state.DeploymentRecord.Status;

/** Activates with {@code nixos-rebuild <op> --flake <ref>#<host>}, as an operator would by hand. */
public final class NixosRebuildDeployer implements Deployer {

    private final CommandRunner runner;
    private final SystemProfile profile;
    private final String program;
    private final Duration timeout;
    private final Rollback rollback;

    public NixosRebuildDeployer(CommandRunner runner, SystemProfile profile, String program, Duration timeout,
            boolean rollbackOnFailure) {
        this.runner = runner;
        this.profile = profile;
        this.program = program;
        this.timeout = timeout;
        this.rollback = new Rollback(runner, profile, timeout, rollbackOnFailure);
    }

    @Override
    public String method() {
        return "nixos-rebuild";
    }

    /** The exact command line, one argument per element. */
    List<String> commandLine(ActivationRequest request) {
        return List.of(program, request.operation().word(), "--flake", request.flakeRef() + "#" + request.host());
    }

    @Override
    public Activation activate(ActivationRequest request, Cancellation cancellation) {
        Rollback.Before before = rollback.capture();
        Integer prevGen = before.generation().map(SystemProfile.Generation::number).orElse(null);
        CommandResult result = runner.run(Command.of(commandLine(request)).withTimeout(timeout)
                .loggingTo(request.logFile()), cancellation);
        Integer generation = profile.current().map(SystemProfile.Generation::number).orElse(null);
        if (result.succeeded()) {
            return new Activation(Status.SUCCEEDED, generation, prevGen, null);
        }
        return rollback.afterFailure(before, request.operation(), request.logFile(),
                "nixos-rebuild " + request.operation().word() + " failed: " + result.failureSummary());
    }
}
