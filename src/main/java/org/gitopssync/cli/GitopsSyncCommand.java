package org.gitopssync.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine;

/** The {@code gitops-sync} command: keeps a NixOS host converged on a git flake. */
@TopCommand
@CommandLine.Command(name = "gitops-sync", mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Keeps a NixOS host converged on a flake in git: fetch, build, activate, record.",
        subcommands = {SyncCommand.class, DaemonCommand.class, StatusCommand.class, CiCommand.class, ConfigCommand.class,
            ResetCommand.class, RetryCommand.class, SuspendCommand.class, ResumeCommand.class, DemoCommand.class, SecretsCommand.class,
            PublishCommand.class, FleetCommand.class,
            LogCommand.class},
        footer = {"", "Exit codes: 0 converged or nothing to do, 1 failed, 2 bad usage or configuration,"
                + " 3 another cycle holds the lock."})
class GitopsSyncCommand {
}
