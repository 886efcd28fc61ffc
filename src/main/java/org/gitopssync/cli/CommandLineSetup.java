package org.gitopssync.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/** Installs the error handler on the command line Quarkus builds. */
@ApplicationScoped
class CommandLineSetup {

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return factory.create()
                .setExecutionExceptionHandler(new ErrorHandler())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
