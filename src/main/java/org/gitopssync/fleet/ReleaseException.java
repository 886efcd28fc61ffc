package org.gitopssync.fleet;

import org.gitopssync.GitopsException;

/** A release record could not be read, written or trusted; the message names the record and what failed. */
public class ReleaseException extends GitopsException {

    public ReleaseException(String message) {
        super(message);
    }

    public ReleaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
