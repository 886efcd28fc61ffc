package org.gitopssync.report;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.gitopssync.cache.PushReport;
import org.gitopssync.ci.CiResult;
import org.gitopssync.forge.BuildTally;
import org.gitopssync.forge.CycleStatusPlan;
import org.gitopssync.forge.ReportedCommit;
import org.gitopssync.forge.StatusState;
import org.gitopssync.config.HostEvent;
import org.gitopssync.reconcile.CycleEvent;
import org.gitopssync.reconcile.CycleObserver;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.Stage;
import org.gitopssync.state.CycleOutcome;
import org.jboss.logging.Logger;

/**
 * Turns a deploy cycle into commit statuses on every configured forge: {@code gitops-sync/eval},
 * {@code gitops-sync/build} (with per-attribute contexts for failures), {@code gitops-sync/cache}
 * and {@code gitops-sync/deploy/<host>}, linking to the run's page when the web server has a
 * public URL. Delivery is queued: a forge outage never slows the cycle.
 */
public final class ForgeStatusObserver implements CycleObserver {

    private static final Logger LOG = Logger.getLogger(ForgeStatusObserver.class);
    /** How a deploy summary begins when the health gate put the previous system back. */
    private static final String ROLLED_BACK = "rolled back: ";

    private final Forges forges;
    private final String host;
    private final String branch;
    private final String publicUrl;
    private final boolean buildsHere;
    /** Cycles that posted pending statuses, and those whose build outcome was posted since. */
    private final Set<Long> started = ConcurrentHashMap.newKeySet();
    private final Set<Long> built = ConcurrentHashMap.newKeySet();

    public ForgeStatusObserver(Forges forges, String host, String branch, String publicUrl) {
        this(forges, host, branch, publicUrl, true);
    }

    private ForgeStatusObserver(Forges forges, String host, String branch, String publicUrl, boolean buildsHere) {
        this.forges = forges;
        this.host = host;
        this.branch = branch;
        this.publicUrl = publicUrl == null ? null : publicUrl.replaceAll("/+$", "");
        this.buildsHere = buildsHere;
    }

    /**
     * A fleet host ({@code buildsHere} false) evaluates and builds nothing: the builder owns the eval and build
     * statuses, so this agent posts only its deploy status.
     */
    public ForgeStatusObserver buildingHere(boolean buildsHere) {
        return new ForgeStatusObserver(forges, host, branch, publicUrl, buildsHere);
    }

    @Override
    public void resumed() {
        forges.sendLeftovers();
    }

    @Override
    public void started(long cycleId, String commit) {
        started.add(cycleId);
        String url = runUrl(cycleId);
        each(commit, (plan, c) -> {
            if (buildsHere) {
                plan.evaluation(c, StatusState.PENDING, "evaluating", url);
                plan.buildProgress(c, new BuildTally(0, 0, 0, List.of()), url);
            }
            plan.deploy(c, host, StatusState.PENDING, buildsHere ? "waiting for the build" : "realising the release", url);
        });
    }

    @Override
    public void built(long cycleId, String commit, CiResult result) {
        built.add(cycleId);
        String url = runUrl(cycleId);
        each(commit, (plan, c) -> BuildStatuses.post(plan, c, result, url));
    }

    @Override
    public void cached(long cycleId, String commit, PushReport report) {
        String url = runUrl(cycleId);
        each(commit, (plan, c) -> plan.cache(c, report.anyFailed() ? StatusState.FAILURE : StatusState.SUCCESS,
                report.description(), url));
    }

    @Override
    public void finished(CycleReport report) {
        // statuses left pending by started() are closed here when no build result replaced them
        boolean stoppedBeforeBuilt = started.remove(report.cycleId()) & !built.remove(report.cycleId()) & buildsHere;
        if (report.commit() == null) {
            return;
        }
        String url = runUrl(report.cycleId());
        StatusState state;
        String text;
        switch (report.outcome()) {
            case UNCHANGED -> {
                return;
            }
            case DEPLOYED -> {
                state = StatusState.SUCCESS;
                text = (report.generation() == null ? "deployed" : "deployed as generation " + report.generation())
                        + (report.summary().contains("reboot needed") ? "; reboot needed" : "");
            }
            case UP_TO_DATE -> {
                state = StatusState.SUCCESS;
                text = "running this system already";
            }
            case BUILT -> {
                state = StatusState.SUCCESS;
                text = "built, not activated";
            }
            case SUSPENDED -> {
                // not deployed yet: a resume deploys it
                state = StatusState.PENDING;
                text = firstLine(report.summary());
            }
            case WAITING -> {
                // "waiting for builder" (no release record yet) or "waiting for canary-1, canary-2" (a wave):
                // not a failure, the next poll looks again; the details stay in the cycle's summary
                state = StatusState.PENDING;
                int colon = report.summary().indexOf(": ");
                text = colon < 0 ? firstLine(report.summary()) : report.summary().substring(0, colon);
            }
            case REFUSED -> {
                state = StatusState.FAILURE;
                text = "refused: " + report.summary();
            }
            case CANCELLED -> {
                state = StatusState.ERROR;
                text = "cancelled";
            }
            case ABANDONED -> {
                // the process died in this stage (killed, crashed, power lost): not the commit's fault
                state = StatusState.ERROR;
                text = "interrupted in " + report.stage().word() + ": the agent stopped; a later cycle takes it up";
            }
            default -> {
                state = StatusState.FAILURE;
                text = report.stage() != Stage.DEPLOY ? "not deployed: " + report.stage().word() + " failed"
                        : report.summary().startsWith(ROLLED_BACK) ? firstClause(report.summary()) : report.summary();
            }
        }
        each(report.commit(), (plan, c) -> {
            if (stoppedBeforeBuilt) {
                boolean notTheCommit = report.outcome() == CycleOutcome.CANCELLED
                        || report.outcome() == CycleOutcome.ABANDONED;
                StatusState stopped = notTheCommit ? StatusState.ERROR : StatusState.FAILURE;
                String why = report.outcome() == CycleOutcome.ABANDONED ? text
                        : report.stage().word() + ": " + firstLine(report.summary());
                plan.evaluation(c, stopped, why, url);
                plan.buildStopped(c, stopped, why, url);
            }
            plan.deploy(c, host, state, text, url);
        });
    }

    /** "rolled back: <probe> failed", what the health gate's rollback summary begins with. */
    private static String firstClause(String s) {
        int end = s.indexOf("; ");
        return end < 0 ? firstLine(s) : s.substring(0, end);
    }

    @Override
    public void event(CycleEvent event) {
        if (event.event() != HostEvent.DRIFT || event.commit().isEmpty()) {
            return;
        }
        // the deployed commit no longer describes the host: say so where people look
        String url = runUrl(event.cycleId());
        each(event.commit(), (plan, c) -> plan.deploy(c, host, StatusState.FAILURE,
                "drift: the host runs " + event.system() + ", not this commit's system", url));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
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
        void apply(CycleStatusPlan plan, ReportedCommit commit);
    }
}
