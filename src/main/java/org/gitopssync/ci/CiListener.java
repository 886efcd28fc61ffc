package org.gitopssync.ci;

import java.time.Duration;

/** Live progress of a run, for the CLI's progress view; called from the run's threads. */
public interface CiListener {

    CiListener NONE = new CiListener() {
    };

    /** An attribute came out of evaluation ({@code error} null when it yielded a derivation). */
    default void evaluated(CiTarget target, String error) {
    }

    /** Evaluation is over; no more attributes will come. */
    default void evaluationFinished(int attributes) {
    }

    /** Derivations entered the build queue. */
    default void queued(int derivations) {
    }

    /** A derivation started building; {@code label} is its attribute, or its name for a dependency. */
    default void buildStarted(String drvPath, String label) {
    }

    /** A derivation's build process moved on to the next one; its status follows with {@link #buildFinished}. */
    default void buildStopped(String drvPath) {
    }

    /** A derivation stopped building, or was settled without building (dependency failed, cached failure). */
    default void buildFinished(String drvPath, String label, CiStatus status, Duration took) {
    }
}
