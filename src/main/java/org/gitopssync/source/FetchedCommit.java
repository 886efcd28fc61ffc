package org.gitopssync.source;

import java.time.Instant;

/** A commit now present in the local clone, with what a human needs to recognise it. */
public record FetchedCommit(String sha, String subject, String author, Instant committedAt) {

    public String shortSha() {
        return TargetRefusedException.abbrev(sha);
    }
}
