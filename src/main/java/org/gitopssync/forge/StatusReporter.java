package org.gitopssync.forge;

/** Posts commit statuses to one forge; synchronous, so callers normally go through {@link StatusQueue}. */
public interface StatusReporter {

    ForgeKind forge();

    /** Posts one status; throws {@link ForgeException} when the forge refuses or cannot be reached. */
    void report(RepositoryCoordinates repository, CommitStatus status);
}
