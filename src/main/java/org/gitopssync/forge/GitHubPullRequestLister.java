package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** GitHub {@code GET /repos/{o}/{r}/pulls?state=open}; Gitea and Forgejo serve the same shape under /api/v1. */
final class GitHubPullRequestLister implements PullRequestLister {

    private final ForgeHttp http;
    private final String pageQuery;

    /** {@code pageQuery}: GitHub pages by per_page (max 100), Gitea by limit (max 50 by default). */
    GitHubPullRequestLister(ForgeHttp http, String pageQuery) {
        this.http = http;
        this.pageQuery = pageQuery;
    }

    static GitHubPullRequestLister gitHub(ForgeHttp http) {
        return new GitHubPullRequestLister(http, "per_page=100");
    }

    static GitHubPullRequestLister gitea(ForgeHttp http) {
        return new GitHubPullRequestLister(http, "limit=50");
    }

    @Override
    public List<PullRequest> openPullRequests(RepositoryCoordinates repository) {
        if (!repository.isOwnerAndName()) {
            throw ForgeException.misconfigured(http.kind(), repository.fullName(), "repositories are owner/name");
        }
        String path = "/repos/" + RepositoryCoordinates.encode(repository.owner()) + "/"
                + RepositoryCoordinates.encode(repository.name()) + "/pulls?state=open&" + pageQuery;
        return Pages.all(http, path, ForgeHttp.Target.of("pull request list", repository)).stream()
                .map(GitHubPullRequestLister::toPullRequest)
                .toList();
    }

    static PullRequest toPullRequest(JsonNode pr) {
        JsonNode head = pr.path("head");
        JsonNode base = pr.path("base");
        return new PullRequest(pr.path("number").asInt(), head.path("sha").asText(), head.path("ref").asText(),
                base.path("ref").asText(), isFork(head.path("repo"), base.path("repo")),
                pr.path("user").path("login").asText(null));
    }

    /** A deleted head repository is reported as null: treat it as a fork, i.e. untrusted. */
    static boolean isFork(JsonNode headRepo, JsonNode baseRepo) {
        String head = headRepo.path("full_name").asText("");
        String base = baseRepo.path("full_name").asText("");
        return head.isEmpty() || !head.equalsIgnoreCase(base);
    }
}
