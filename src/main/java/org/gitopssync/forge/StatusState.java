package org.gitopssync.forge;

/** Forge-neutral state of one commit status; each reporter maps it to the states its forge accepts. */
public enum StatusState {
    PENDING,
    RUNNING,
    SUCCESS,
    FAILURE,
    ERROR
}
