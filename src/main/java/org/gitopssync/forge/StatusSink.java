package org.gitopssync.forge;

/** Accepts commit statuses for delivery; implementations never block on the forge and never throw for its failures. */
public interface StatusSink {

    void submit(RepositoryCoordinates repository, CommitStatus status);
}
