package org.gitopssync.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** GitHub REST {@code POST /repos/{owner}/{repo}/statuses/{sha}}. */
final class GitHubStatusReporter implements StatusReporter {

    static final int MAX_DESCRIPTION = 140;

    private final ForgeHttp http;

    GitHubStatusReporter(ForgeHttp http) {
        this.http = http;
    }

    @Override
    public ForgeKind forge() {
        return ForgeKind.GITHUB;
    }

    static String state(StatusState state) {
        return switch (state) {
            // GitHub has no "running": a started check is pending until it ends.
            case PENDING, RUNNING -> "pending";
            case SUCCESS -> "success";
            case FAILURE -> "failure";
            case ERROR -> "error";
        };
    }

    @Override
    public void report(RepositoryCoordinates repository, CommitStatus status) {
        if (!repository.isOwnerAndName()) {
            throw ForgeException.misconfigured(forge(), repository.fullName(), "GitHub repositories are owner/name");
        }
        ObjectNode body = http.json().createObjectNode()
                .put("state", state(status.state()))
                .put("context", status.context());
        String description = StatusText.fit(status.description(), MAX_DESCRIPTION);
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
