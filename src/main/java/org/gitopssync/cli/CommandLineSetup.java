package org.gitopssync.cli;

import java.util.function.Supplier;
import org.gitopssync.app.Daemon;
import picocli.CommandLine;

/**
 * The command line both entry points run: {@link Launch}'s, and the one Quarkus runs ({@link ContainerCommandLine}).
 * Free of the container's types, so a one-shot command starts on a class path without the container's jars
 * (bin/one-shot-classpath).
 */
final class CommandLineSetup {

    private CommandLineSetup() {
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
