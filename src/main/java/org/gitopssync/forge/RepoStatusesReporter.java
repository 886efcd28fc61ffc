package org.gitopssync.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code POST /repos/{owner}/{repo}/statuses/{sha}}: the same call and body on GitHub's REST API
 * and on Gitea's and Forgejo's API v1; only the description limit differs.
 */
final class RepoStatusesReporter implements StatusReporter {

    /** GitHub refuses descriptions over 140 characters. */
    static final int GITHUB_DESCRIPTION = 140;
    /** Gitea stores descriptions as text; keep them as short as GitLab's so the UI stays readable. */
    static final int GITEA_DESCRIPTION = 255;

    private final ForgeHttp http;
    private final int maxDescription;

    RepoStatusesReporter(ForgeHttp http, int maxDescription) {
        this.http = http;
        this.maxDescription = maxDescription;
    }

    @Override
    public ForgeKind forge() {
        return http.kind();
    }

    static String state(StatusState state) {
        return switch (state) {
            // neither API has "running": a started check is pending until it ends
            case PENDING, RUNNING -> "pending";
            case SUCCESS -> "success";
            case FAILURE -> "failure";
            case ERROR -> "error";
        };
    }

    @Override
    public void report(RepositoryCoordinates repository, CommitStatus status) {
        if (!repository.isOwnerAndName()) {
            throw ForgeException.misconfigured(forge(), repository.fullName(), "repositories are owner/name");
        }
        ObjectNode body = http.json().createObjectNode()
                .put("state", state(status.state()))
                .put("context", status.context());
        String description = StatusText.fit(status.description(), maxDescription);
        if (description != null) {
            body.put("description", description);
        }
        String link = StatusText.linkOrNull(status.targetUrl());
        if (link != null) {
            body.put("target_url", link);
        }
        String path = "/repos/" + RepositoryCoordinates.encode(repository.owner()) + "/"
                + RepositoryCoordinates.encode(repository.name()) + "/statuses/" + status.sha();
        http.send("POST", path, body, new ForgeHttp.Target("commit status " + status.context(), repository,
                status.sha()));
    }
}
