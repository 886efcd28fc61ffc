package org.gitopssync.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Gitea and Forgejo API v1 {@code POST /repos/{owner}/{repo}/statuses/{sha}}. */
final class GiteaStatusReporter implements StatusReporter {

    /** Gitea stores descriptions as text; keep them as short as GitLab's so the UI stays readable. */
    static final int MAX_DESCRIPTION = 255;

    private final ForgeHttp http;

    GiteaStatusReporter(ForgeHttp http) {
        this.http = http;
    }

    @Override
    public ForgeKind forge() {
        return http.kind();
    }

    static String state(StatusState state) {
        return switch (state) {
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
