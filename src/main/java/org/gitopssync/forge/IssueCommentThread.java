package org.gitopssync.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Pull request comments through the issues API, shared by GitHub ({@code /repos/{o}/{r}/issues/{n}/comments},
 * {@code PATCH /repos/{o}/{r}/issues/comments/{id}}) and Gitea/Forgejo (same paths under /api/v1).
 */
final class IssueCommentThread implements CommentThread {

    private final ForgeHttp http;
    private final String listQuery;

    IssueCommentThread(ForgeHttp http, String listQuery) {
        this.http = http;
        this.listQuery = listQuery;
    }

    @Override
    public List<Comment> list(RepositoryCoordinates repository, int number) {
        String path = repoPath(repository) + "/issues/" + number + "/comments" + listQuery;
        return Pages.all(http, path, target(repository, number)).stream()
                .map(c -> new Comment(c.path("id").asLong(), c.path("body").asText("")))
                .toList();
    }

    @Override
    public void create(RepositoryCoordinates repository, int number, String body) {
        http.send("POST", repoPath(repository) + "/issues/" + number + "/comments", bodyOf(body),
                target(repository, number));
    }

    @Override
    public void update(RepositoryCoordinates repository, int number, long commentId, String body) {
        http.send("PATCH", repoPath(repository) + "/issues/comments/" + commentId, bodyOf(body),
                target(repository, number));
    }

    private ObjectNode bodyOf(String body) {
        return http.json().createObjectNode().put("body", body);
    }

    private String repoPath(RepositoryCoordinates repository) {
        if (!repository.isOwnerAndName()) {
            throw ForgeException.misconfigured(http.kind(), repository.fullName(), "repositories are owner/name");
        }
        return "/repos/" + RepositoryCoordinates.encode(repository.owner()) + "/"
                + RepositoryCoordinates.encode(repository.name());
    }

    private static ForgeHttp.Target target(RepositoryCoordinates repository, int number) {
        return ForgeHttp.Target.of("comment on pull request #" + number, repository);
    }
}
