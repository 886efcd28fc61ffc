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
        err.println("gitops-sync: internal error: " + ex + " (run with --debug for the stack trace)");
        return ExitCodes.FAILED;
    }
}
