package org.gitopssync.deploy;

import java.util.List;

/**
 * Whether a new system needs a reboot (what differs from the booted system) and whether the agent reboots now:
 * allowed by {@code deploy.reboot.allow} and inside its window. {@code why} says why not, for the summary.
 */
public record RebootPlan(List<String> changed, boolean rebootNow, String why) {

    public RebootPlan {
        changed = List.copyOf(changed);
    }

    public static RebootPlan none() {
        return new RebootPlan(List.of(), false, "");
    }

    public boolean needed() {
        return !changed.isEmpty();
    }

    /** {@code reboot needed (kernel, initrd changed)}, as status and the forge say it. */
    public String describe() {
        return "reboot needed (" + String.join(", ", changed) + " changed)";
    }
}
