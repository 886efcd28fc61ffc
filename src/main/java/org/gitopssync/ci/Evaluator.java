package org.gitopssync.ci;

import java.util.function.Consumer;
import org.gitopssync.Cancellation;

/**
 * Turns a commit's flake into derivations, handing each attribute to {@code sink} as soon as it
 * is known. An attribute that fails to evaluate is that attribute's failure, never the run's.
 */
interface Evaluator {

    /** Which program does the work, for log lines. */
    String name();

    void evaluate(EvalRequest request, Consumer<EvalJob> sink, Cancellation cancellation);
}
