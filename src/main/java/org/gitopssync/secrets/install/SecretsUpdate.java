package org.gitopssync.secrets.install;

import java.nio.file.Path;
import java.util.Optional;

/** A prepared secrets generation on its way to becoming live, or the absence of one. */
public interface SecretsUpdate {

    /** Whether a new generation waits to be switched to. */
    boolean pending();

    /** One line for the cycle log: generation, number of files, which changed. Never a value. */
    String summary();

    /** Makes the new generation live (right before activation). */
    void switchLive();

    /**
     * After a successful activation: restarts and reloads the units of new or changed secrets when
     * {@code unitsRunNow} (switch, test), prunes old generations. Returns a note for the cycle summary ("" if none).
     */
    String finish(boolean unitsRunNow, Path cycleLog);

    /** After a failed activation: the previous generation is live again and the new one is gone. Returns a note. */
    String revert();

    /**
     * The generation live before this one, when a new one is pending: "none" when there was none, empty when
     * nothing new is pending. Kept by a cycle whose activation may be interrupted, to switch back after a crash.
     */
    default Optional<String> replaces() {
        return Optional.empty();
    }

    /** Removes the new generation if it never went live (build failed, cycle cancelled). Safe to call twice. */
    void discard();

    static SecretsUpdate none(String why) {
        return new SecretsUpdate() {
            @Override
            public boolean pending() {
                return false;
            }

            @Override
            public String summary() {
                return why;
            }

            @Override
            public void switchLive() {
            }

            @Override
            public String finish(boolean unitsRunNow, Path cycleLog) {
                return "";
            }

            @Override
            public String revert() {
                return "";
            }

            @Override
            public void discard() {
            }
        };
    }
}
