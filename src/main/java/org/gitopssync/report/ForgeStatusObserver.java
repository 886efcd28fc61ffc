package org.gitopssync.report;

import java.util.List;
import org.gitopssync.forge.BuildTally;
import org.gitopssync.forge.ReportedCommit;
import org.gitopssync.forge.StatusState;
import org.gitopssync.reconcile.CycleObserver;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.Stage;
import org.gitopssync.state.CycleOutcome;
import org.jboss.logging.Logger;

/**
 * Turns a deploy cycle into commit statuses on every configured forge: {@code gitops-sync/eval},
 * {@code gitops-sync/build} and {@code gitops-sync/deploy/<host>}, linking to the run's page when the
 * web server has a public URL. Delivery is queued: a forge outage never slows the cycle.
 */
public final class ForgeStatusObserver implements CycleObserver {

    private static final Logger LOG = Logger.getLogger(ForgeStatusObserver.class);

    private final Forges forges;
    private final String host;
    private final String branch;
    private final String publicUrl;

    public ForgeStatusObserver(Forges forges, String host, String branch, String publicUrl) {
        this.forges = forges;
        this.host = host;
        this.branch = branch;
        this.publicUrl = publicUrl == null ? null : publicUrl.replaceAll("/+$", "");
    }

    @Override
    public void started(long cycleId, String commit) {
        String url = runUrl(cycleId);
        each(commit, (plan, c) -> {
            plan.evaluation(c, StatusState.PENDING, "evaluating", url);
            plan.buildProgress(c, new BuildTally(0, 0, 0, List.of()), url);
            plan.deploy(c, host, StatusState.PENDING, "waiting for the build", url);
        });
    }

    @Override
    public void finished(CycleReport report) {
        if (report.commit() == null || report.outcome() == CycleOutcome.UNCHANGED) {
            return;
        }
        String url = runUrl(report.cycleId());
        boolean builtOk = report.stage() != Stage.BUILD && report.stage() != Stage.SOURCE
                && report.stage() != Stage.SECRETS || !report.failed();
        each(report.commit(), (plan, c) -> {
            switch (report.outcome()) {
                case REFUSED -> plan.deploy(c, host, StatusState.FAILURE, "refused: " + report.summary(), url);
                case CANCELLED -> {
                    plan.evaluation(c, StatusState.ERROR, "cancelled", url);
                    plan.deploy(c, host, StatusState.ERROR, "cancelled: " + report.summary(), url);
                }
                default -> {
                    if (report.failed() && !builtOk) {
                        plan.evaluation(c, report.stage() == Stage.BUILD ? StatusState.SUCCESS : StatusState.FAILURE,
                                report.stage() == Stage.BUILD ? "evaluated" : report.summary(), url);
                        plan.buildFinished(c, new BuildTally(0, 0, 0, List.of(new BuildTally.AttributeFailure(
                                "system-" + host, report.summary(), url))), url);
                        plan.deploy(c, host, StatusState.FAILURE, "not deployed: the build failed", url);
                    } else {
                        plan.evaluation(c, StatusState.SUCCESS, "evaluated", url);
                        plan.buildFinished(c, new BuildTally(1, 0, 0, List.of()), url);
                        plan.deploy(c, host, deployState(report), deployText(report), url);
                    }
                }
            }
        });
    }

    private static StatusState deployState(CycleReport r) {
        return r.failed() ? StatusState.FAILURE : StatusState.SUCCESS;
    }

    private static String deployText(CycleReport r) {
        return switch (r.outcome()) {
            case DEPLOYED -> r.generation() == null ? "deployed" : "deployed as generation " + r.generation();
            case UP_TO_DATE -> "already running this system";
            case BUILT -> "built, not activated";
            default -> r.summary();
        };
    }

    private String runUrl(long cycleId) {
        return publicUrl == null ? null : publicUrl + "/runs/" + cycleId;
    }

    private void each(String sha, PlanAction action) {
        for (Forges.Link link : forges.links()) {
            try {
                action.apply(link.plan(), new ReportedCommit(link.repository(), sha, branch));
            } catch (RuntimeException e) {
                LOG.warnf("status for %s on %s not queued: %s", sha, link.kind().displayName(), e.getMessage());
            }
        }
    }

    @FunctionalInterface
    private interface PlanAction {
        void apply(org.gitopssync.forge.CycleStatusPlan plan, ReportedCommit commit);
    }
}
