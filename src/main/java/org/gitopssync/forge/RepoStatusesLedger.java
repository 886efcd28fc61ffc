package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /repos/{owner}/{repo}/commits/{sha}/statuses}: GitHub (newest first, {@code state},
 * {@code per_page} up to 100) and Gitea/Forgejo ({@code status}, {@code limit} up to 50); both page
 * with Link headers and list every status ever posted, each with its {@code created_at}.
 */
final class RepoStatusesLedger implements StatusLedger {

    private final ForgeHttp http;
    private final String stateField;
    private final String pageQuery;

    private RepoStatusesLedger(ForgeHttp http, String stateField, String pageQuery) {
        this.http = http;
        this.stateField = stateField;
        this.pageQuery = pageQuery;
    }

    static RepoStatusesLedger gitHub(ForgeHttp http) {
        return new RepoStatusesLedger(http, "state", "?per_page=100");
    }

    static RepoStatusesLedger gitea(ForgeHttp http) {
        return new RepoStatusesLedger(http, "status", "?limit=50");
    }

    @Override
    public List<PostedStatus> latest(RepositoryCoordinates repository, String sha) {
        if (!repository.isOwnerAndName()) {
            throw ForgeException.misconfigured(http.kind(), repository.fullName(), "repositories are owner/name");
        }
        String path = "/repos/" + RepositoryCoordinates.encode(repository.owner()) + "/"
                + RepositoryCoordinates.encode(repository.name()) + "/commits/" + sha + "/statuses" + pageQuery;
        List<PostedStatus> all = new ArrayList<>();
        for (JsonNode s : Pages.all(http, path, new ForgeHttp.Target("commit statuses", repository, sha))) {
            all.add(new PostedStatus(s.path("context").asText(""), state(s.path(stateField).asText("")),
                    s.path("description").asText(""), StatusLedger.time(http, repository, s, "created_at"),
                    s.path("id").asLong()));
        }
        return StatusLedger.latestPerContext(all);
    }

    /** GitHub: pending, success, failure, error; Gitea adds warning (neither success nor a failure). */
    static StatusState state(String word) {
        return switch (word) {
            case "success" -> StatusState.SUCCESS;
            case "failure" -> StatusState.FAILURE;
            case "error" -> StatusState.ERROR;
            default -> StatusState.PENDING;
        };
    }
}
