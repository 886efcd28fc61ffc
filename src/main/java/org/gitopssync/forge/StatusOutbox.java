package org.gitopssync.forge;

import java.util.List;

/**
 * Where statuses wait durably until their forge accepted them, so a status the process could not
 * send before it died or exited is sent by the next one. One row per (repository, sha, context):
 * the newest written wins.
 */
public interface StatusOutbox {

    /** A status kept in the outbox; {@code id} grows with every write. */
    record Stored(long id, RepositoryCoordinates repository, CommitStatus status) {
    }

    /** Writes the status, replacing an older one for the same repository, sha and context; returns its id. */
    long write(RepositoryCoordinates repository, CommitStatus status);

    /** Removes the row {@code id} (accepted or refused for good); a newer row for the same key stays. */
    void remove(long id);

    /** Whether row {@code id} is still the newest for its key (not sent by another process, not replaced). */
    boolean isCurrent(long id);

    /** Every status still waiting, oldest first. */
    List<Stored> stored();

    /** Counts {@code n} statuses that left the queue with {@code result} (kept across processes for metrics). */
    default void tally(DeliveryResult result, long n) {
    }

    /** An outbox that keeps nothing (tests, commands that never report). */
    StatusOutbox NONE = new StatusOutbox() {
        @Override
        public long write(RepositoryCoordinates repository, CommitStatus status) {
            return -1;
        }

        @Override
        public void remove(long id) {
        }

        @Override
        public boolean isCurrent(long id) {
            return true;
        }

        @Override
        public List<Stored> stored() {
            return List.of();
        }
    };
}
