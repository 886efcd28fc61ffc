package org.gitopssync.forge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** GitLab merge request notes: {@code /projects/{id}/merge_requests/{iid}/notes}, PUT to edit one. */
final class GitLabNoteThread implements CommentThread {

    private final ForgeHttp http;

    GitLabNoteThread(ForgeHttp http) {
        this.http = http;
    }

    @Override
    public List<Comment> list(RepositoryCoordinates repository, int iid) {
        return Pages.all(http, notesPath(repository, iid) + "?sort=asc&order_by=created_at&per_page=100",
                        target(repository, iid)).stream()
                // System notes ("added 1 commit") are GitLab's own and cannot be edited.
                .filter(n -> !n.path("system").asBoolean(false))
                .map(n -> new Comment(n.path("id").asLong(), n.path("body").asText("")))
                .toList();
    }

    @Override
    public void create(RepositoryCoordinates repository, int iid, String body) {
        http.send("POST", notesPath(repository, iid), bodyOf(body), target(repository, iid));
    }

    @Override
    public void update(RepositoryCoordinates repository, int iid, long noteId, String body) {
        http.send("PUT", notesPath(repository, iid) + "/" + noteId, bodyOf(body), target(repository, iid));
    }

    private ObjectNode bodyOf(String body) {
        return http.json().createObjectNode().put("body", body);
    }

    private static String notesPath(RepositoryCoordinates repository, int iid) {
        return "/projects/" + repository.encodedAsOneSegment() + "/merge_requests/" + iid + "/notes";
    }

    private static ForgeHttp.Target target(RepositoryCoordinates repository, int iid) {
        return ForgeHttp.Target.of("note on merge request !" + iid, repository);
    }
}
