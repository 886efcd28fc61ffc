package org.gitopssync.cli;

import picocli.CommandLine;

/** {@code fleet}: what the hosts of a fleet run, seen from a builder or any host with a forge. */
@CommandLine.Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "Look at the fleet: which commit each host deployed, how far behind the branch, its last outcome.",
        subcommands = {FleetStatusCommand.class})
class FleetCommand {
}
