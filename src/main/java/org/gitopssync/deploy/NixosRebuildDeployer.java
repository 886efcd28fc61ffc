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

/** Activates with {@code nixos-rebuild <op> --flake <ref>#<host>}, as an operator would by hand. */
public final class NixosRebuildDeployer implements Deployer {

    private final CommandRunner runner;
    private final String program;
    private final Duration timeout;
    private final ActivationTemplate template;

    public NixosRebuildDeployer(CommandRunner runner, SystemProfile profile, String program, Duration timeout,
            boolean rollbackOnFailure) {
        this(runner, profile, program, timeout, rollbackOnFailure, HealthGate.none(runner), TransientUnit.never());
    }

    public NixosRebuildDeployer(CommandRunner runner, SystemProfile profile, String program, Duration timeout,
            boolean rollbackOnFailure, HealthGate gate, TransientUnit unit) {
        this.runner = runner;
        this.program = program;
        this.timeout = timeout;
        this.template = new ActivationTemplate(runner, profile, timeout, rollbackOnFailure, gate, unit);
    }

    @Override
    public String method() {
        return "nixos-rebuild";
    }

    /** The exact command line, one argument per element. */
    List<String> commandLine(ActivationRequest request) {
        return commandLine(request, request.operation());
    }

    private List<String> commandLine(ActivationRequest request, Operation op) {
        return template.unit().wrap(List.of(program, op.word(), "--flake", request.flakeRef() + "#" + request.host()),
                request.outPath(), op.word());
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
        CommandResult result = runner.run(Command.of(commandLine(request, op)).withTimeout(timeout)
                .loggingTo(request.logFile()), cancellation);
        return result.succeeded() ? Optional.empty()
                : Optional.of("nixos-rebuild " + op.word() + " failed: " + result.failureSummary());
    }
}
