package org.gitopssync.report;

import java.util.List;
import org.gitopssync.ci.CiResult;
import org.gitopssync.ci.CiStatus;
import org.gitopssync.forge.BuildTally;
import org.gitopssync.forge.CycleStatusPlan;
import org.gitopssync.forge.ReportedCommit;
import org.gitopssync.forge.StatusState;

/** A CI result as the eval and build statuses of a commit, the same for deploy cycles and pull requests. */
public final class BuildStatuses {

    private BuildStatuses() {
    }

    /** Posts {@code gitops-sync/eval} and {@code gitops-sync/build} (with per-attribute failures) for a result. */
    public static void post(CycleStatusPlan plan, ReportedCommit commit, CiResult result, String url) {
        long evalFailed = result.count(CiStatus.EVAL_FAILED);
        int total = result.attributes().size();
        plan.evaluation(commit, evalFailed == 0 ? StatusState.SUCCESS : StatusState.FAILURE, evalFailed == 0
                ? "evaluated " + total + " attributes"
                : evalFailed + " of " + total + " attributes failed to evaluate", url);
        plan.buildFinished(commit, tally(result, url), url);
    }

    /** Counts, and the failures worth a context of their own (not the ones a failed dependency explains). */
    static BuildTally tally(CiResult result, String url) {
        List<BuildTally.AttributeFailure> failures = result.failures().stream()
                .filter(a -> a.status() != CiStatus.DEPENDENCY_FAILED)
                .map(a -> new BuildTally.AttributeFailure(a.attribute(), a.status().word()
                        + (a.error() == null ? "" : ": " + a.error()), url)).toList();
        return new BuildTally(result.count(CiStatus.BUILT), result.count(CiStatus.CACHED),
                result.count(CiStatus.DEPENDENCY_FAILED), failures);
    }
}
