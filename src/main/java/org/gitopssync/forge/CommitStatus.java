package org.gitopssync.forge;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One status to attach to a commit: {@code context} names the check, {@code ref} (optional) is the branch,
 * which only GitLab uses to pick the pipeline the status belongs to.
 */
public record CommitStatus(String sha, String context, StatusState state, String description, String targetUrl,
                           String ref) {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,64}");

    public CommitStatus {
        Objects.requireNonNull(sha, "sha");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(state, "state");
        // The sha becomes part of a request path: anything but hex could address another endpoint.
        if (!SHA.matcher(sha).matches()) {
            throw new IllegalArgumentException("not a commit sha: " + sha);
        }
        if (context.isBlank()) {
            throw new IllegalArgumentException("blank status context");
        }
    }

    public CommitStatus(String sha, String context, StatusState state, String description, String targetUrl) {
        this(sha, context, state, description, targetUrl, null);
    }

}
