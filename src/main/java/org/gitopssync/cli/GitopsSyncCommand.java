package org.gitopssync.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.gitopssync.app.Daemon;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code gitops-sync} command: keeps a NixOS host converged on a git flake. */
final class GitopsSyncCommand {

    private GitopsSyncCommand() {
    }

    /** The top command's own model: it runs nothing itself, and only it has a version and the exit codes. */
    static CommandSpec spec() {
        CommandSpec spec = CommandModel.command(null,
                        "Keeps a NixOS host converged on a flake in git: fetch, build, activate, record.")
                .name("gitops-sync")
                .versionProvider(new VersionProvider());
        spec.usageMessage().footer("", "Exit codes: 0 converged or nothing to do, 1 failed, 2 bad usage or configuration,"
                + " 3 another cycle holds the lock.");
        return spec;
    }

    /**
     * The top command with its subcommands: only the one {@code first} names when it names one (what it runs and its
     * help are the same either way), else all of them (top-level help, a misspelled command and its suggestions). Only
     * the models added are built, so a one-shot command builds its own only. {@code daemon} is what the {@code daemon}
     * command runs, from the Quarkus container.
     */
    static CommandLine commandLine(String first, Supplier<Daemon> daemon) {
        // in the order help lists them
        Map<String, Supplier<CommandSpec>> subcommands = new LinkedHashMap<>();
        subcommands.put("sync", SyncCommand::spec);
        subcommands.put("daemon", () -> DaemonCommand.spec(daemon));
        subcommands.put("status", StatusCommand::spec);
        subcommands.put("ci", CiCommand::spec);
        subcommands.put("config", ConfigCommand::spec);
        subcommands.put("reset", ResetCommand::spec);
        subcommands.put("retry", RetryCommand::spec);
        subcommands.put("suspend", SuspendCommand::spec);
        subcommands.put("resume", ResumeCommand::spec);
        subcommands.put("demo", DemoCommand::spec);
        subcommands.put("secrets", SecretsCommand::spec);
        subcommands.put("publish", PublishCommand::spec);
        subcommands.put("fleet", FleetCommand::spec);
        subcommands.put("log", LogCommand::spec);

        CommandLine top = new CommandLine(spec());
        if (subcommands.containsKey(first)) {
            return top.addSubcommand(first, subcommands.get(first).get());
        }
        subcommands.forEach((name, model) -> top.addSubcommand(name, model.get()));
        return top;
    }
}
