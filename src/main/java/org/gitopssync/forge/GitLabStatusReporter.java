package org.gitopssync.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jboss.logging.Logger;

/** GitLab API v4 {@code POST /projects/{id or url-encoded path}/statuses/{sha}}. */
final class GitLabStatusReporter implements StatusReporter {

    private static final Logger LOG = Logger.getLogger(GitLabStatusReporter.class);
    static final int MAX_DESCRIPTION = 255;

    private final ForgeHttp http;

    GitLabStatusReporter(ForgeHttp http) {
        this.http = http;
    }

    @Override
    public ForgeKind forge() {
        return ForgeKind.GITLAB;
    }

    static String state(StatusState state) {
        return switch (state) {
            case PENDING -> "pending";
            case RUNNING -> "running";
            case SUCCESS -> "success";
            // GitLab has a single failed state for both.
            case FAILURE, ERROR -> "failed";
        };
    }

    @Override
    public void report(RepositoryCoordinates repository, CommitStatus status) {
        ObjectNode body = http.json().createObjectNode()
                .put("state", state(status.state()))
                .put("name", status.context());
        String description = StatusText.fit(status.description(), MAX_DESCRIPTION);
        if (description != null) {
            body.put("description", description);
        }
        String link = StatusText.linkOrNull(status.targetUrl());
        if (link != null) {
            body.put("target_url", link);
        }
        if (status.ref() != null && !status.ref().isBlank()) {
            body.put("ref", status.ref());
        }
        String path = "/projects/" + repository.encodedAsOneSegment() + "/statuses/" + status.sha();
        try {
            http.send("POST", path, body, new ForgeHttp.Target("commit status " + status.context(), repository,
                    status.sha()));
        } catch (ForgeException e) {
            // GitLab refuses to post a state the status already has ("Cannot transition status via :run
            // from :running"); the forge already shows what we wanted.
            if (e.httpStatus() == 400 && e.getMessage().contains("Cannot transition status")) {
                LOG.debugf("GitLab %s@%s %s already %s", repository, status.sha(), status.context(),
                        state(status.state()));
                return;
            }
            throw e;
        }
    }
}
