package org.gitopssync.cache;

import java.nio.file.Path;
import java.util.List;

/**
 * What was built and for whom: the repository (as configured, or owner/name), the branch (for a
 * pull request, its head branch), whether it is a pull request and whether that comes from a
 * fork, the output paths to push with their closures, and where command logs go (may be null).
 */
public record PushRequest(
        String repository,
        String branch,
        boolean pullRequest,
        boolean fromFork,
        List<String> outPaths,
        Path logDir) {

    public PushRequest {
        outPaths = List.copyOf(outPaths);
        if (fromFork && !pullRequest) {
            throw new IllegalArgumentException("only a pull request can come from a fork");
        }
    }

    public PushRequest(String repository, String branch, boolean pullRequest, boolean fromFork, List<String> outPaths) {
        this(repository, branch, pullRequest, fromFork, outPaths, null);
    }

    /** The same request with command logs written under {@code dir} (one file per cache). */
    public PushRequest withLogDir(Path dir) {
        return new PushRequest(repository, branch, pullRequest, fromFork, outPaths, dir);
    }
}
