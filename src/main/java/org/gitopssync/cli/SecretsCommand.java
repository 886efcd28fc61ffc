package org.gitopssync.cli;

import picocli.CommandLine;

/** {@code secrets}: decrypt sops and age files, check that this host can open the manifest's secrets. */
@CommandLine.Command(name = "secrets", mixinStandardHelpOptions = true,
        description = "Decrypt sops/age files like sops -d, check the manifest's secrets against this host's keys, print its recipients.",
        subcommands = {SecretsDecryptCommand.class, SecretsCheckCommand.class, SecretsRecipientsCommand.class})
class SecretsCommand {
}
