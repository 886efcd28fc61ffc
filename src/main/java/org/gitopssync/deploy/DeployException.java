package org.gitopssync.deploy;

import org.gitopssync.GitopsException;

/** Activation could not be attempted at all (e.g. the profile is unreadable). */
public class DeployException extends GitopsException {

    public DeployException(String message) {
        super(message);
    }

    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
