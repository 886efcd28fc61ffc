package org.gitopssync.cli;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Provider;
import org.gitopssync.app.Daemon;
import picocli.CommandLine;

/**
 * The command line the Quarkus container runs (the launchers start only {@code daemon} there). No class carries
 * picocli's {@code @TopCommand} or {@code @Command}: the Quarkus extension's runner executes the {@link CommandLine}
 * bean, which this class produces.
 */
@ApplicationScoped
class ContainerCommandLine {

    @Produces
    CommandLine commandLine(Provider<Daemon> daemon) {
        // every subcommand: under Quarkus the start-up cost is the container's anyway
        return CommandLineSetup.create(null, daemon::get);
    }
}
