package org.gitopssync.state;

/** The commit a cycle targeted, with the subject and author recorded when it was fetched (null for older cycles). */
public record CycleCommit(String sha, String subject, String author) {
}
