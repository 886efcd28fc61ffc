package org.gitopssync.deploy;

/**
 * A system made the boot default because it needs a reboot, the system that was booted then, and whether the
 * reboot command already ran for it: the next cycles compare the booted system with both to tell a reboot into it
 * from a bootloader fallback, and reboot in the window while it still waits.
 */
public record PendingReboot(String outPath, Integer generation, String bootedBefore, boolean requested) {

    public PendingReboot(String outPath, Integer generation, String bootedBefore) {
        this(outPath, generation, bootedBefore, false);
    }

    /** The same, with the reboot command run. */
    public PendingReboot asRequested() {
        return new PendingReboot(outPath, generation, bootedBefore, true);
    }

    /** As kept in the note of the {@code reboot-pending} state mark. */
    public String encode() {
        return outPath + "\t" + (generation == null ? "" : generation) + "\t" + (bootedBefore == null ? "" : bootedBefore)
                + "\t" + (requested ? "requested" : "");
    }

    public static PendingReboot decode(String note) {
        String[] f = (note == null ? "" : note).split("\t", -1);
        return new PendingReboot(f[0], f.length > 1 && !f[1].isEmpty() ? Integer.valueOf(f[1]) : null,
                f.length > 2 && !f[2].isEmpty() ? f[2] : null, f.length > 3 && f[3].equals("requested"));
    }

    /** "generation 7" or the store path when the method keeps no generations. */
    public String name() {
        return generation == null ? outPath : "generation " + generation;
    }
}
