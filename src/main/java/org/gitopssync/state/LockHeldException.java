package org.gitopssync.state;

/** Another cycle (timer, daemon or manual run) holds the state directory's lock. */
public final class LockHeldException extends StateException {

    private final String holder;

    public LockHeldException(String lockFile, String holder) {
        super("another cycle holds the lock " + lockFile + (holder.isEmpty() ? "" : " (" + holder + ")"));
        this.holder = holder;
    }

    /** What the lock file says about its holder, e.g. "pid 1234, sync since 2026-11-21T10:00:00Z". */
    public String holder() {
        return holder;
    }
}
