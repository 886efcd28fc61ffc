package org.gitopssync;

/** Base of every error gitops-sync reports to a user: the message alone must say what to fix. */
public abstract class GitopsException extends RuntimeException {

    protected GitopsException(String message) {
        super(message);
    }

    protected GitopsException(String message, Throwable cause) {
        super(message, cause);
    }
}
