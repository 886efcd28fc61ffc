package org.gitopssync.ci;

import java.nio.file.Path;
import org.gitopssync.config.CiSettings;

/**
 * Asks for one CI run: an exact commit as a flake reference ({@code git+file://...?rev=...}),
 * the branch it came from (a newer run on the same branch supersedes this one), which targets,
 * whether to forget every cached failure first ({@code retryFailed}, {@code ci --retry-failed}) or
 * only to rebuild the cached failures this run meets ({@code rebuildFailed}, {@code sync --force}),
 * and an optional file that receives the run's summary.
 */
public record CiRun(
        String flakeRef,
        String branch,
        String commit,
        boolean checks,
        CiSettings.Hosts hosts,
        boolean retryFailed,
        boolean rebuildFailed,
        Path reportLog) {

    /** The configured checks and hosts for a commit. */
    public static CiRun of(String flakeRef, String branch, String commit, CiSettings settings) {
        return new CiRun(flakeRef, branch, commit, true, settings.hosts(), false, false, null);
    }

    public CiRun withHosts(CiSettings.Hosts selection) {
        return new CiRun(flakeRef, branch, commit, checks, selection, retryFailed, rebuildFailed, reportLog);
    }

    public CiRun withChecks(boolean include) {
        return new CiRun(flakeRef, branch, commit, include, hosts, retryFailed, rebuildFailed, reportLog);
    }

    public CiRun retryingFailed(boolean retry) {
        return new CiRun(flakeRef, branch, commit, checks, hosts, retry, rebuildFailed, reportLog);
    }

    /**
     * Builds again the derivations of this run that failed before, ignoring the failure cache for
     * them (they are remembered again if they fail again); other commits' failures stay cached.
     */
    public CiRun rebuildingFailed(boolean rebuild) {
        return new CiRun(flakeRef, branch, commit, checks, hosts, retryFailed, rebuild, reportLog);
    }

    public CiRun reportingTo(Path log) {
        return new CiRun(flakeRef, branch, commit, checks, hosts, retryFailed, rebuildFailed, log);
    }

    public String shortCommit() {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
