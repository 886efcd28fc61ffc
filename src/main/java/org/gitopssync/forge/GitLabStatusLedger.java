package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * GitLab API v4 {@code GET /projects/{id}/repository/commits/{sha}/statuses}: the latest status of
 * each name (without {@code all=true}), paged with Link headers. GitLab moves one status through
 * its states, so a finished one is dated by {@code finished_at}, not by when it was created.
 */
final class GitLabStatusLedger implements StatusLedger {

    private final ForgeHttp http;

    GitLabStatusLedger(ForgeHttp http) {
        this.http = http;
    }

    @Override
    public List<PostedStatus> latest(RepositoryCoordinates repository, String sha) {
        String path = "/projects/" + repository.encodedAsOneSegment() + "/repository/commits/" + sha
                + "/statuses?per_page=100";
        List<PostedStatus> all = new ArrayList<>();
        for (JsonNode s : Pages.all(http, path, new ForgeHttp.Target("commit statuses", repository, sha))) {
            String field = s.path("finished_at").isTextual() ? "finished_at" : "created_at";
            all.add(new PostedStatus(s.path("name").asText(""), state(s.path("status").asText("")),
                    s.path("description").asText(""), StatusLedger.time(http, repository, s, field), s.path("id").asLong()));
        }
        return StatusLedger.latestPerContext(all);
    }

    /** GitLab: created, pending, running, success, failed, canceled, skipped. */
    static StatusState state(String word) {
        return switch (word) {
            case "success" -> StatusState.SUCCESS;
            case "failed", "canceled" -> StatusState.FAILURE;
            default -> StatusState.PENDING;
        };
    }
}
