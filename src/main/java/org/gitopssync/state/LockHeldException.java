package org.gitopssync.state;

/** Another cycle (timer, daemon or manual run) holds the state directory's lock. */
public final class LockHeldException extends StateException {

    public LockHeldException(String lockFile, String holder) {
        super("another cycle holds the lock " + lockFile + (holder.isEmpty() ? "" : " (" + holder + ")"));
    }
}
