package org.gitopssync.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.gitopssync.ci.AttributeResult;
import org.gitopssync.ci.BuiltSystem;
import org.gitopssync.ci.CiEngine;
import org.gitopssync.ci.CiException;
import org.gitopssync.ci.CiResult;
import org.gitopssync.ci.CiRun;
import org.gitopssync.config.CiSettings;
import org.gitopssync.config.Settings;
import org.gitopssync.source.FetchedCommit;
import org.jboss.logging.Logger;

/**
 * The cycle's BUILD stage: this host's system and the checks through the CI engine. A failed
 * system fails the cycle; so do failed checks while {@code ci.checks_block_deploy} holds. A fleet builder's
 * ({@link #forBuilder}) builds every host of {@code ci.hosts} and needs no system of its own.
 */
final class BuildStage implements SystemStage {

    private static final Logger LOG = Logger.getLogger(BuildStage.class);

    private final Settings settings;
    private final CiEngine ci;
    private final boolean builder;

    BuildStage(Settings settings, CiEngine ci) {
        this(settings, ci, false);
    }

    private BuildStage(Settings settings, CiEngine ci, boolean builder) {
        this.settings = settings;
        this.ci = ci;
        this.builder = builder;
    }

    /** A fleet builder's: {@code ci.hosts} as configured ({@code self}, the default, means all). */
    static BuildStage forBuilder(Settings settings, CiEngine ci) {
        return new BuildStage(settings, ci, true);
    }

    /**
     * Drops the run's GC roots once the system is what the host runs (its profile now keeps it
     * alive) and the outputs went to the caches; until then they must survive a garbage collection.
     */
    @Override
    public void release(BuildResult built) {
        ci.releaseRoots(built.ci().runId());
    }

    @Override
    public BuildResult run(CycleState cycle, FetchedCommit target, String flakeRef, CycleObserver observer) {
        String host = settings.hostname();
        CiSettings.Hosts hosts = settings.ci().hosts();
        boolean ownSystem = !builder || BuilderRole.deploysItself(settings);
        if (builder) {
            hosts = settings.fleet().ciHosts(hosts);
        } else if (!builder && hosts.mode() == CiSettings.Hosts.Mode.LIST && !hosts.names().contains(host)) {
            List<String> names = new ArrayList<>(hosts.names());
            names.add(host);
            hosts = CiSettings.Hosts.of(names);
        }
        // sync --force is the documented way to retry a failed commit (after freeing disk, say).
        CiResult result = ci.run(CiRun.of(flakeRef, settings.repository().branch(), target.sha(), settings.ci())
                .withHosts(hosts).rebuildingFailed(cycle.request.force()).reportingTo(cycle.log), cycle.cancellation);
        if (result.cancelled()) {
            throw new CycleCancelledException(result.cancelReason());
        }
        observer.built(cycle.id, target.sha(), result);
        cycle.buildReported = true;
        if (!ownSystem) {
            checkChecks(cycle, target, result);
            return new BuildResult(result, null);
        }
        AttributeResult system = result.system(host).orElseThrow(() -> new CiException(target.shortSha()
                + " does not define nixosConfigurations." + host));
        if (!system.status().succeeded()) {
            throw new CiException("the system of " + host + " at " + target.shortSha() + " did not build ("
                    + result.summary() + "):\n" + system.describeFailure());
        }
        checkChecks(cycle, target, result);
        return new BuildResult(result, new BuiltSystem(host, system.attribute(), system.drvPath(), system.out()));
    }

    private void checkChecks(CycleState cycle, FetchedCommit target, CiResult result) {
        List<AttributeResult> failed = result.failedChecks();
        if (!failed.isEmpty()) {
            String which = failed.stream().map(AttributeResult::attribute).collect(Collectors.joining(", "));
            if (settings.ci().checksBlockDeploy()) {
                throw new CiException(failed.size() + " check" + (failed.size() == 1 ? "" : "s") + " failed at "
                        + target.shortSha() + ", so nothing is activated (ci.checks_block_deploy): " + which + "\n"
                        + CiResult.failureReport(failed));
            }
            LOG.warnf("cycle %d: %d checks failed at %s (ci.checks_block_deploy = false, deploying anyway): %s",
                    cycle.id, failed.size(), target.shortSha(), which);
        }
    }
}
