package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** GitLab {@code GET /projects/{id}/merge_requests?state=opened}. */
final class GitLabMergeRequestLister implements PullRequestLister {

    private final ForgeHttp http;

    GitLabMergeRequestLister(ForgeHttp http) {
        this.http = http;
    }

    @Override
    public List<PullRequest> openPullRequests(RepositoryCoordinates repository) {
        String path = "/projects/" + repository.encodedAsOneSegment() + "/merge_requests?state=opened&per_page=100";
        return Pages.all(http, path, ForgeHttp.Target.of("merge request list", repository)).stream()
                .map(GitLabMergeRequestLister::toPullRequest)
                .toList();
    }

    static PullRequest toPullRequest(JsonNode mr) {
        long source = mr.path("source_project_id").asLong(-1);
        long target = mr.path("target_project_id").asLong(-2);
        return new PullRequest(mr.path("iid").asInt(), mr.path("sha").asText(), mr.path("source_branch").asText(),
                mr.path("target_branch").asText(), source != target, mr.path("author").path("username").asText(null));
    }
}
