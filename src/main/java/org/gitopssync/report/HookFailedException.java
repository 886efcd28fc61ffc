package org.gitopssync.report;

import org.gitopssync.GitopsException;

/** A hook exited non-zero, timed out, or its URL answered with an error. */
public class HookFailedException extends GitopsException {

    public HookFailedException(String message) {
        super(message);
    }

    public HookFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
