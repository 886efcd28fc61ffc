package org.gitopssync.review;

import java.util.List;

/** What a pull request check did: whether it ran, the CI summary, the cache summary and the plans. */
public record PullRequestOutcome(int number, String commit, State state, String ciSummary, String cacheSummary,
        List<SystemPlan> plans) {

    /** How the check ended. */
    public enum State { PASSED, FAILED, WAITING_FOR_APPROVAL, CANCELLED }

    public PullRequestOutcome {
        plans = List.copyOf(plans);
    }
}
