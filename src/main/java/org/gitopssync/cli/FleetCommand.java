package org.gitopssync.cli;

import picocli.CommandLine.Model.CommandSpec;

/** {@code fleet}: what the hosts of a fleet run, seen from a builder or any host with a forge. */
final class FleetCommand {

    private FleetCommand() {
    }

    static CommandSpec spec() {
        return CommandModel.command(null,
                        "Look at the fleet: which commit each host deployed, how far behind the branch, its last outcome.")
                .addSubcommand("status", FleetStatusCommand.spec());
    }
}
