package org.gitopssync.cli;

import picocli.CommandLine.Model.CommandSpec;

/** {@code secrets}: decrypt sops and age files, check that this host can open the manifest's secrets. */
final class SecretsCommand {

    private SecretsCommand() {
    }

    static CommandSpec spec() {
        return CommandModel.command(null, "Decrypt sops/age files like sops -d, check the manifest's secrets against"
                        + " this host's keys, print its recipients.")
                .addSubcommand("decrypt", SecretsDecryptCommand.spec())
                .addSubcommand("check", SecretsCheckCommand.spec())
                .addSubcommand("recipients", SecretsRecipientsCommand.spec());
    }
}
