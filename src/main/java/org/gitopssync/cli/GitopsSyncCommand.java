package org.gitopssync.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.util.List;
import picocli.CommandLine;

/** The {@code gitops-sync} command: keeps a NixOS host converged on a git flake. */
@TopCommand
@CommandLine.Command(name = "gitops-sync", mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Keeps a NixOS host converged on a flake in git: fetch, build, activate, record.",
        footer = {"", "Exit codes: 0 converged or nothing to do, 1 failed, 2 bad usage or configuration,"
                + " 3 another cycle holds the lock."})
class GitopsSyncCommand {

    /**
     * The subcommands, in the order help lists them. They are added in code, not in {@code @Command(subcommands)}, so
     * that a one-shot command builds the model (reflection over every option of every command) of its own only.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(SyncCommand.class, DaemonCommand.class, StatusCommand.class,
            CiCommand.class, ConfigCommand.class, ResetCommand.class, RetryCommand.class, SuspendCommand.class,
            ResumeCommand.class, DemoCommand.class, SecretsCommand.class, PublishCommand.class, FleetCommand.class,
            LogCommand.class);

    /**
     * Adds the subcommands to {@code top}: only the one {@code first} names when it names one (what it runs and its
     * help are the same either way), else all of them (top-level help, a misspelled command and its suggestions).
     */
    static CommandLine withSubcommands(CommandLine top, String first) {
        for (Class<?> c : SUBCOMMANDS) {
            if (c.getAnnotation(CommandLine.Command.class).name().equals(first)) {
                return top.addSubcommand(c);
            }
        }
        for (Class<?> c : SUBCOMMANDS) {
            top.addSubcommand(c);
        }
        return top;
    }
}
