package org.gitopssync.deploy;

/**
 * A system made the boot default because it needs a reboot, and the system that was booted then: the next cycles
 * compare the booted system with both to tell a reboot into it from a bootloader fallback.
 */
public record PendingReboot(String outPath, Integer generation, String bootedBefore) {

    /** As kept in the note of the {@code reboot-pending} state mark. */
    public String encode() {
        return outPath + "\t" + (generation == null ? "" : generation) + "\t" + (bootedBefore == null ? "" : bootedBefore);
    }

    public static PendingReboot decode(String note) {
        String[] f = (note == null ? "" : note).split("\t", -1);
        return new PendingReboot(f[0], f.length > 1 && !f[1].isEmpty() ? Integer.valueOf(f[1]) : null,
                f.length > 2 && !f[2].isEmpty() ? f[2] : null);
    }

    /** "generation 7" or the store path when the method keeps no generations. */
    public String name() {
        return generation == null ? outPath : "generation " + generation;
    }
}
