package org.gitopssync.cache;

import org.gitopssync.GitopsException;

/** A URL the agent would contact points at its own machine or network, or is not a plain web URL. */
public class DestinationRefusedException extends GitopsException {

    public DestinationRefusedException(String message) {
        super(message);
    }
}
