package org.gitopssync.state;

import org.gitopssync.GitopsException;

/** The state database or lock could not be used; names the file. */
public class StateException extends GitopsException {

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
