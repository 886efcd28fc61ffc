package org.gitopssync.forge;

import java.util.Objects;

/** The commit a cycle reports on; {@code branch} is optional and only sent to GitLab. */
public record ReportedCommit(RepositoryCoordinates repository, String sha, String branch) {

    public ReportedCommit {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(sha, "sha");
    }
}
