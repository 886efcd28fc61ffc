package org.gitopssync.forge;

import java.util.List;

/** The comments of one pull request on one forge: list, create, edit. */
interface CommentThread {

    record Comment(long id, String body) {
    }

    List<Comment> list(RepositoryCoordinates repository, int number);

    void create(RepositoryCoordinates repository, int number, String body);

    void update(RepositoryCoordinates repository, int number, long commentId, String body);
}
