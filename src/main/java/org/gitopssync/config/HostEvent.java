package org.gitopssync.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What happened to the host, as hooks name it in {@code on = [...]} and {@code GITOPS_EVENT}. */
public enum HostEvent {
    /** A new system was activated (or made the boot default). */
    DEPLOYED,
    /** A system failed its health gate and the previous one was restored. */
    ROLLED_BACK,
    /** A cycle failed (source, secrets, build, cache or activation). */
    FAILED,
    /** The target commit was refused by policy (force-push, rewind, signature). */
    REFUSED,
    /** The new system needs a reboot (kernel or initrd changed). */
    REBOOT_NEEDED,
    /** The running system is not the one the agent last deployed (changed by hand). */
    DRIFT;

    public String word() {
        return ConfigSection.wordOf(this);
    }

    public static Optional<HostEvent> fromWord(String word) {
        for (HostEvent e : values()) {
            if (e.word().equals(word)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Every word, quoted, for error messages. */
    static String words() {
        List<String> out = new ArrayList<>();
        for (HostEvent e : values()) {
            out.add("\"" + e.word() + "\"");
        }
        return String.join(", ", out);
    }
}
