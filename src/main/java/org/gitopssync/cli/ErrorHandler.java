package org.gitopssync.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.gitopssync.GitopsException;
import org.gitopssync.config.ConfigException;
import org.gitopssync.state.LockHeldException;
import org.jboss.logging.Logger;
import picocli.CommandLine;

/** Turns every error into one clear line on stderr and the documented exit code. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    private static final Logger LOG = Logger.getLogger(ErrorHandler.class);

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof ConfigException) {
            err.println("gitops-sync: configuration error: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        if (ex instanceof LockHeldException) {
            err.println("gitops-sync: " + ex.getMessage());
            return ExitCodes.LOCKED;
        }
        if (ex instanceof GitopsException) {
            err.println("gitops-sync: " + ex.getMessage());
            return ExitCodes.FAILED;
        }
        StringWriter trace = new StringWriter();
        ex.printStackTrace(new PrintWriter(trace));
        LOG.debug(trace);
        err.println("gitops-sync: internal error: " + describe(ex) + " (for the stack trace, run it again with"
                + " GITOPS_JAVA_OPTS=-Dquarkus.log.level=DEBUG)");
        return ExitCodes.FAILED;
    }

    /** A bug's own words, without the class name a thrown exception prints first. */
    static String describe(Exception ex) {
        String message = ex.getMessage();
        return message == null || message.isBlank() ? "an unexpected failure" : message.lines().findFirst().orElse("");
    }
}
