package org.gitopssync.forge;

import java.util.List;
import java.util.Objects;

/** Counts of one build stage plus the attributes whose own build failed. */
public record BuildTally(int built, int cached, int dependencyFailed, List<AttributeFailure> failures) {

    /** One attribute whose build failed; {@code logUrl} may be null. */
    public record AttributeFailure(String attribute, String description, String logUrl) {
        public AttributeFailure {
            Objects.requireNonNull(attribute, "attribute");
        }
    }

    public BuildTally {
        failures = List.copyOf(failures);
    }

    public int failed() {
        return failures.size();
    }

    public boolean succeeded() {
        return failures.isEmpty() && dependencyFailed == 0;
    }

    /** "181 built, 2 failed, 17 cached", plus dependency failures when there are any. */
    public String summary() {
        String s = built + " built, " + failed() + " failed, " + cached + " cached";
        return dependencyFailed == 0 ? s : s + ", " + dependencyFailed + " dependency failed";
    }
}
