package org.gitopssync.ci;

import org.gitopssync.GitopsException;

/** The CI run could not do its work, or its outcome forbids the next stage; the message names what and where. */
public class CiException extends GitopsException {

    public CiException(String message) {
        super(message);
    }

    public CiException(String message, Throwable cause) {
        super(message, cause);
    }
}
