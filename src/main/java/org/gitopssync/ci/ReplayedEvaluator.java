package org.gitopssync.ci;

import java.util.Set;
import java.util.function.Consumer;
import org.gitopssync.Cancellation;

/**
 * Hands on a remembered evaluation instead of evaluating: each attribute with its derivation and
 * outputs, marked as present when every output was valid in the store a moment ago, so that the
 * run builds exactly what is missing, the way it would after a fresh evaluation.
 */
final class ReplayedEvaluator implements Evaluator {

    private final RememberedEvaluation remembered;
    private final Set<String> invalid;

    /** {@code invalid}: the paths of {@code remembered} the store just said are not valid. */
    ReplayedEvaluator(RememberedEvaluation remembered, Set<String> invalid) {
        this.remembered = remembered;
        this.invalid = Set.copyOf(invalid);
    }

    @Override
    public String name() {
        return "the evaluation of ci run " + remembered.runId();
    }

    @Override
    public void evaluate(EvalRequest request, Consumer<EvalJob> sink, Cancellation cancellation) {
        for (EvaluatedAttribute a : remembered.attributes()) {
            if (cancellation.isCancelled()) {
                return;
            }
            boolean present = a.outputs().values().stream().noneMatch(invalid::contains);
            sink.accept(new EvalJob(a.target(), a.drvPath(), a.outputs(), null,
                    present ? EvalJob.CacheStatus.LOCAL : EvalJob.CacheStatus.UNKNOWN));
        }
    }
}
