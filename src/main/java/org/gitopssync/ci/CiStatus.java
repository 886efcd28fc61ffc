package org.gitopssync.ci;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How one attribute (or derivation) of a CI run ended. */
public enum CiStatus {
    BUILT, CACHED, FAILED, DEPENDENCY_FAILED, TIMED_OUT, EVAL_FAILED, SKIPPED_CACHED_FAILURE, CANCELLED;

    /** The lower-case, dashed word used in output, JSON and the state store. */
    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static CiStatus fromWord(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Built now or found already built: the output exists. */
    public boolean succeeded() {
        return this == BUILT || this == CACHED;
    }

    /** A real failure to report (a cancelled run is not the commit's fault). */
    public boolean failed() {
        return !succeeded() && this != CANCELLED;
    }
}
