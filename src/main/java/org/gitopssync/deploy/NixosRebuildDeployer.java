package org.gitopssync.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
    private final boolean rollbackOnFailure;

    public NixosRebuildDeployer(CommandRunner runner, SystemProfile profile, String program, Duration timeout,
            boolean rollbackOnFailure) {
        this.runner = runner;
        this.profile = profile;
        this.program = program;
        this.timeout = timeout;
        this.rollbackOnFailure = rollbackOnFailure;
    }

    @Override
    public String method() {
        return "nixos-rebuild";
    }

    @Override
    public Optional<String> currentFor(Operation operation) {
        return operation == Operation.BOOT ? profile.current().map(SystemProfile.Generation::outPath) : profile.running();
    }

    /** The exact command line, one argument per element. */
    List<String> commandLine(ActivationRequest request) {
        return List.of(program, request.operation().word(), "--flake", request.flakeRef() + "#" + request.host());
    }

    @Override
    public Activation activate(ActivationRequest request, Cancellation cancellation) {
        Rollback rollback = new Rollback(runner, profile, timeout);
        Rollback.Before before = rollback.capture();
        Integer prevGen = before.generation().map(SystemProfile.Generation::number).orElse(null);
        CommandResult result = runner.run(Command.of(commandLine(request)).withTimeout(timeout)
                .loggingTo(request.logFile()), cancellation);
        Integer generation = profile.current().map(SystemProfile.Generation::number).orElse(null);
        if (result.succeeded()) {
            return new Activation(Status.SUCCEEDED, generation, prevGen, null);
        }
        String error = "nixos-rebuild " + request.operation().word() + " failed: " + result.failureSummary();
        if (!rollbackOnFailure) {
            return new Activation(Status.FAILED, generation, prevGen, error);
        }
        return rollback.undo(before, request.operation(), request.logFile(), error);
    }
}
