package org.gitopssync.reconcile;

/** Asks for one cycle: why, whether to stop short of activation, whether to ignore "unchanged". */
public record CycleRequest(Trigger trigger, boolean dryRun, boolean force) {

    public static CycleRequest of(Trigger trigger) {
        return new CycleRequest(trigger, false, false);
    }
}
