package org.gitopssync.nix;

import org.gitopssync.GitopsException;

/** A nix (or other external) command failed or could not run; carries the result when there is one. */
public class NixException extends GitopsException {

    private final transient CommandResult result;

    public NixException(String message) {
        super(message);
        this.result = null;
    }

    public NixException(String message, Throwable cause) {
        super(message, cause);
        this.result = null;
    }

    public NixException(String message, CommandResult result) {
        super(message);
        this.result = result;
    }

    /** The failed command's result, or null when it never ran. */
    public CommandResult result() {
        return result;
    }
}
