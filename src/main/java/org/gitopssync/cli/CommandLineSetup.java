package org.gitopssync.cli;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Provider;
import java.util.function.Supplier;
import org.gitopssync.app.Daemon;
import picocli.CommandLine;

/**
 * The command line both entry points run: {@link Launch}'s, and the one Quarkus runs (the daemon). No class carries
 * picocli's {@code @TopCommand} or {@code @Command}: the Quarkus extension's runner executes the {@link CommandLine}
 * bean, which this class produces.
 */
@ApplicationScoped
class CommandLineSetup {

    @Produces
    CommandLine commandLine(Provider<Daemon> daemon) {
        // every subcommand: under Quarkus the start-up cost is the container's anyway
        return create(null, daemon::get);
    }

    /**
     * The command line, with the settings both entry points share, so a command behaves the same whichever one
     * started it. {@code first} and {@code daemon}: see {@link GitopsSyncCommand#commandLine}.
     */
    static CommandLine create(String first, Supplier<Daemon> daemon) {
        return GitopsSyncCommand.commandLine(first, daemon)
                .setExecutionExceptionHandler(new ErrorHandler())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
