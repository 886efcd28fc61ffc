package org.gitopssync.ci;

import java.util.List;
import java.util.function.Consumer;
import org.gitopssync.Cancellation;

/**
 * Turns a commit's flake into derivations, handing attributes to {@code sink} as soon as they are
 * known: the ones learnt together (one {@code nix eval} of the whole set) as one list, so that the
 * run inspects them with one round of store queries rather than one round for whichever arrived
 * first and another for the rest. An attribute that fails to evaluate is that attribute's
 * failure, never the run's.
 */
interface Evaluator {

    /** Which program does the work, for log lines. */
    String name();

    void evaluate(EvalRequest request, Consumer<List<EvalJob>> sink, Cancellation cancellation);
}
