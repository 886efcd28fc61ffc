package org.gitopssync.review;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.gitopssync.config.SecuritySettings;
import org.gitopssync.forge.Approval;
import org.gitopssync.forge.ForgeException;
import org.gitopssync.forge.PullRequestApprovals;
import org.gitopssync.report.Forges;

/**
 * Decides whether a pull request head may be evaluated and built on this host: a fork's (and, with
 * {@code require_approval}, anyone's) only when its author is trusted or a user with write access
 * approved this head. When in doubt (the forge cannot be asked) it waits.
 */
final class ApprovalGate {

    /** Whether the head may run, and the words that say why (for the pending status and the log). */
    record Decision(boolean allowed, boolean approvalNeeded, String reason) {
        static Decision allow(String reason) {
            return new Decision(true, false, reason);
        }
    }

    private final SecuritySettings security;
    private final PullRequestHeads heads;

    ApprovalGate(SecuritySettings security, PullRequestHeads heads) {
        this.security = security;
        this.heads = heads;
    }

    Decision check(PullRequestJob job, Optional<Forges.Link> link) {
        if (!security.needsApproval(job.author(), job.fromFork())) {
            return Decision.allow(security.trusted(job.author()) ? job.author() + " is a trusted author"
                    : "a pull request from this repository");
        }
        Instant since = heads.since(job);
        String author = job.author() == null ? "an unknown author" : job.author();
        String who = job.fromFork() ? "fork by " + author : author + " is not in security.trusted_authors";
        if (link.isEmpty()) {
            return waiting(who + "; no forge is configured to read approvals from");
        }
        Forges.Link l = link.get();
        List<Approval> approvals;
        try {
            approvals = l.api().approvals().approvals(l.repository(), job.number(), security.approvalLabel(),
                    a -> a.approves(job.headSha(), since));
        } catch (ForgeException e) {
            return waiting(who + "; cannot read approvals: " + e.getMessage());
        }
        if (approvals.isEmpty()) {
            return waiting(who + "; label \"" + security.approvalLabel() + "\" or comment "
                    + PullRequestApprovals.COMMAND);
        }
        return new Decision(true, true, "approved (" + approvals.get(approvals.size() - 1).describe() + ")");
    }

    private static Decision waiting(String why) {
        return new Decision(false, true, "waiting for approval: " + why);
    }
}
