package org.gitopssync.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/** Installs the error handler on the command line Quarkus builds (the daemon) and on {@link Launch}'s. */
@ApplicationScoped
class CommandLineSetup {

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return configure(GitopsSyncCommand.withSubcommands(factory.create(), null));
    }

    /** The settings both entry points share, so a command behaves the same whichever one started it. */
    static CommandLine configure(CommandLine commandLine) {
        return commandLine
                .setExecutionExceptionHandler(new ErrorHandler())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
