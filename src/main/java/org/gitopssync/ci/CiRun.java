package org.gitopssync.ci;

import java.nio.file.Path;
import org.gitopssync.config.CiSettings;

/**
 * Asks for one CI run: an exact commit as a flake reference ({@code git+file://...?rev=...}),
 * the branch it came from (a newer run on the same branch supersedes this one), which targets,
 * whether to rebuild cached failures, and an optional file that receives the run's summary.
 */
public record CiRun(
        String flakeRef,
        String branch,
        String commit,
        boolean checks,
        CiSettings.Hosts hosts,
        boolean retryFailed,
        Path reportLog) {

    /** The configured checks and hosts for a commit. */
    public static CiRun of(String flakeRef, String branch, String commit, CiSettings settings) {
        return new CiRun(flakeRef, branch, commit, true, settings.hosts(), false, null);
    }

    public CiRun withHosts(CiSettings.Hosts selection) {
        return new CiRun(flakeRef, branch, commit, checks, selection, retryFailed, reportLog);
    }

    public CiRun withChecks(boolean include) {
        return new CiRun(flakeRef, branch, commit, include, hosts, retryFailed, reportLog);
    }

    public CiRun retryingFailed(boolean retry) {
        return new CiRun(flakeRef, branch, commit, checks, hosts, retry, reportLog);
    }

    public CiRun reportingTo(Path log) {
        return new CiRun(flakeRef, branch, commit, checks, hosts, retryFailed, log);
    }

    public String shortCommit() {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
