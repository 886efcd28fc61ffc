package org.gitopssync.ci;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.gitopssync.Cancellation;

/**
 * Hands on a remembered evaluation instead of evaluating: each attribute with its derivation and
 * outputs, all of which were valid in the store a moment ago (a replay is only used then), so the
 * run roots and reports them the way it would after a fresh evaluation.
 */
final class ReplayedEvaluator implements Evaluator {

    private final RememberedEvaluation remembered;

    /** {@code remembered}: an evaluation whose every path the store just said is valid. */
    ReplayedEvaluator(RememberedEvaluation remembered) {
        this.remembered = remembered;
    }

    @Override
    public String name() {
        return "the evaluation of ci run " + remembered.runId();
    }

    @Override
    public void evaluate(EvalRequest request, Consumer<List<EvalJob>> sink, Cancellation cancellation) {
        if (cancellation.isCancelled()) {
            return;
        }
        List<EvalJob> jobs = new ArrayList<>();
        for (EvaluatedAttribute a : remembered.attributes()) {
            jobs.add(new EvalJob(a.target(), a.drvPath(), a.outputs(), null, EvalJob.CacheStatus.LOCAL));
        }
        sink.accept(jobs);
    }
}
