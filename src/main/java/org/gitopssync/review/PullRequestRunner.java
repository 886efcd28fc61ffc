package org.gitopssync.review;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gitopssync.Cancellation;
import org.gitopssync.GitopsException;
import org.gitopssync.cache.CachePublisher;
import org.gitopssync.cache.PushReport;
import org.gitopssync.cache.PushRequest;
import org.gitopssync.ci.CiEngine;
import org.gitopssync.ci.CiResult;
import org.gitopssync.ci.CiRun;
import org.gitopssync.config.Settings;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.forge.BuildTally;
import org.gitopssync.forge.ReportedCommit;
import org.gitopssync.forge.StatusState;
import org.gitopssync.report.BuildStatuses;
import org.gitopssync.report.Forges;
import org.gitopssync.source.FetchedCommit;
import org.gitopssync.source.GitSource;
import org.jboss.logging.Logger;

/**
 * Checks a pull request head: source, CI, cache (as the caches' permissions allow pull requests
 * and forks), and report (statuses, the plan comment). It never decrypts a secret and never
 * activates anything: those stages only exist in the deploy cycle.
 */
public final class PullRequestRunner {

    private static final Logger LOG = Logger.getLogger(PullRequestRunner.class);

    private final Settings settings;
    private final GitSource source;
    private final CiEngine ci;
    private final CachePublisher caches;
    private final Forges forges;
    private final ClosureDiff diff;
    private final SystemProfile profile;
    private final ApprovalGate approvals;

    public PullRequestRunner(Settings settings, GitSource source, CiEngine ci, CachePublisher caches, Forges forges,
            ClosureDiff diff, SystemProfile profile, PullRequestHeads heads) {
        this.settings = settings;
        this.source = source;
        this.ci = ci;
        this.caches = caches;
        this.forges = forges;
        this.diff = diff;
        this.profile = profile;
        this.approvals = new ApprovalGate(settings.security(), heads);
    }

    public PullRequestOutcome run(PullRequestJob job, Cancellation cancellation) {
        Optional<Forges.Link> link = forges.link(job.forge());
        ApprovalGate.Decision decision = approvals.check(job, link);
        if (!decision.allowed()) {
            return waiting(job, link, decision.reason());
        }
        if (decision.approvalNeeded()) {
            LOG.infof("pull request #%d: %s %s", job.number(), job.headSha(), decision.reason());
        }
        FetchedCommit head = source.fetchRef(job.remoteRef(), job.localRef());
        String sha = head.sha();
        if (decision.approvalNeeded() && !sha.equals(job.headSha())) {
            // The approval was for the head the forge named; code pushed since then needs its own.
            return waiting(job, link, "waiting for approval: the head moved to " + head.shortSha()
                    + " after " + job.headSha().substring(0, Math.min(12, job.headSha().length())) + " was approved");
        }
        LOG.infof("pull request #%d: checking %s \"%s\"%s", job.number(), head.shortSha(), head.subject(),
                job.fromFork() ? " from a fork" : "");
        String page = pageUrl(job);
        link.ifPresent(l -> {
            l.plan().evaluation(commit(l, job, sha), StatusState.PENDING, "evaluating", page);
            l.plan().buildProgress(commit(l, job, sha), new BuildTally(0, 0, 0, List.of()), page);
        });
        Path log = settings.logDir().resolve("pr-" + job.number() + "-" + head.shortSha() + ".log");
        CiResult result;
        try {
            result = ci.run(CiRun.of(source.flakeRef(job.localRef(), sha), job.runKey(), sha, settings.ci())
                    .withHosts(settings.fleet().ciHosts(settings.ci().hosts())).reportingTo(log), cancellation);
        } catch (GitopsException e) {
            link.ifPresent(l -> l.plan().evaluation(commit(l, job, sha), StatusState.ERROR, e.getMessage(), page));
            throw e;
        }
        if (result.cancelled()) {
            LOG.infof("pull request #%d: %s", job.number(), result.summary());
            return new PullRequestOutcome(job.number(), sha, PullRequestOutcome.State.CANCELLED, result.summary(),
                    null, List.of());
        }
        link.ifPresent(l -> BuildStatuses.post(l.plan(), commit(l, job, sha), result, page));

        String cacheSummary = null;
        List<String> outs = result.successfulOutputs();
        if (!caches.caches().isEmpty() && !outs.isEmpty()) {
            PushReport pushed = caches.publish(new PushRequest(Forges.repositoryName(settings), job.headRef(), true,
                    job.fromFork(), outs), cancellation);
            cacheSummary = pushed.description();
            String text = cacheSummary;
            link.ifPresent(l -> l.plan().cache(commit(l, job, sha), pushed.anyFailed() ? StatusState.FAILURE
                    : StatusState.SUCCESS, text, page));
        }

        List<SystemPlan> plans = plans(job, result, cancellation);
        if (settings.pullRequests().plan()) {
            link.ifPresent(l -> {
                l.plan().plan(commit(l, job, sha), StatusState.SUCCESS, PlanText.description(plans), page);
                try {
                    l.api().planComment().upsert(l.repository(), job.number(),
                            PlanText.comment(sha, result.summary(), plans));
                } catch (GitopsException e) {
                    LOG.warnf("pull request #%d: plan comment not posted: %s", job.number(), e.getMessage());
                }
            });
        }
        PullRequestOutcome.State state = result.succeeded() ? PullRequestOutcome.State.PASSED
                : PullRequestOutcome.State.FAILED;
        LOG.infof("pull request #%d: %s: %s; %s", job.number(), state.name().toLowerCase(), result.summary(),
                PlanText.description(plans));
        return new PullRequestOutcome(job.number(), sha, state, result.summary(), cacheSummary, plans);
    }

    private PullRequestOutcome waiting(PullRequestJob job, Optional<Forges.Link> link, String why) {
        LOG.infof("pull request #%d: %s", job.number(), why);
        link.ifPresent(l -> l.plan().evaluation(commit(l, job, job.headSha()), StatusState.PENDING, why, null));
        return new PullRequestOutcome(job.number(), job.headSha(), PullRequestOutcome.State.WAITING_FOR_APPROVAL,
                why, null, List.of());
    }

    /**
     * For each host the change builds, the packages, boot parts and units that differ from what it runs (or the
     * base branch built).
     */
    List<SystemPlan> plans(PullRequestJob job, CiResult result, Cancellation cancellation) {
        Map<String, String> baseline = ci.results().latestSystems(job.baseRef());
        List<SystemPlan> plans = new ArrayList<>();
        result.systems().forEach((host, after) -> {
            String before = host.equals(settings.hostname()) ? profile.running().orElse(baseline.get(host))
                    : baseline.get(host);
            List<PackageChange> changes = List.of();
            if (before != null && !before.equals(after)) {
                try {
                    changes = diff.between(before, after, cancellation);
                } catch (GitopsException e) {
                    LOG.warnf("pull request #%d: cannot diff %s: %s", job.number(), host, e.getMessage());
                }
            }
            SystemPlan plan = new SystemPlan(host, before, after, changes);
            try {
                plan = SystemComparison.plan(host, before, after, changes);
            } catch (GitopsException e) {
                LOG.warnf("pull request #%d: cannot compare the boot and units of %s: %s", job.number(), host,
                        e.getMessage());
            }
            plans.add(plan);
        });
        return plans;
    }

    /** The page of this pull request's checks, when the daemon's public URL is known (the statuses link to it). */
    private String pageUrl(PullRequestJob job) {
        String base = settings.web().publicUrl();
        return base == null ? null : base.replaceAll("/+$", "") + job.pagePath();
    }

    private static ReportedCommit commit(Forges.Link l, PullRequestJob job, String sha) {
        return new ReportedCommit(l.repository(), sha, job.headRef());
    }
}
