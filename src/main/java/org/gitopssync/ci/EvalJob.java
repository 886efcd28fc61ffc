package org.gitopssync.ci;

import java.util.Map;

/**
 * One attribute out of evaluation: its derivation (with outputs when the evaluator knows them)
 * or the evaluation error. {@code cache} is what nix-eval-jobs said about the outputs.
 */
record EvalJob(CiTarget target, String drvPath, Map<String, String> outputs, String error, CacheStatus cache) {

    /** nix-eval-jobs' {@code cacheStatus}; UNKNOWN when the evaluator does not tell. */
    enum CacheStatus { UNKNOWN, LOCAL, CACHED, NOT_BUILT }

    EvalJob {
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
    }

    static EvalJob derivation(CiTarget target, String drvPath) {
        return new EvalJob(target, drvPath, Map.of(), null, CacheStatus.UNKNOWN);
    }

    static EvalJob failure(CiTarget target, String error) {
        return new EvalJob(target, null, Map.of(), error, CacheStatus.UNKNOWN);
    }

    boolean failed() {
        return drvPath == null;
    }
}
