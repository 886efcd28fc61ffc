package org.gitopssync.cli;

import org.gitopssync.app.Daemon;

/** The exit codes every command uses, as documented in the README. */
final class ExitCodes {
    /** Converged, or nothing to do. */
    static final int OK = 0;
    /** The cycle (or the requested operation) failed. */
    static final int FAILED = 1;
    /** Bad usage or configuration. */
    static final int USAGE = 2;
    /** Another cycle holds the state directory's lock. */
    static final int LOCKED = 3;
    /**
     * The daemon stopped cleanly to run the agent package the system it deployed carries: the unit's
     * RestartForceExitStatus brings it back up.
     */
    static final int RESTART = Daemon.RESTART;

    private ExitCodes() {
    }
}
