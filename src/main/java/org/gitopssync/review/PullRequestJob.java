package org.gitopssync.review;

import java.util.Locale;
import org.gitopssync.forge.ForgeKind;

/** A pull request head to check: from a webhook or from polling the forge. */
public record PullRequestJob(ForgeKind forge, int number, String headSha, String headRef, String baseRef,
        boolean fromFork, String author) {

    /** Where the forge publishes the head of pull request {@code number} in the base repository. */
    public String remoteRef() {
        return forge.pullRequestRef(number);
    }

    /** The private ref the agent keeps it under (GitHub #5 and GitLab !5 are different changes). */
    public String localRef() {
        return "refs/gitops/pr/" + forgeWord() + "/" + number;
    }

    /** The CI run key: a newer head of the same pull request supersedes an older one's build. */
    public String runKey() {
        return "pr/" + forgeWord() + "/" + number;
    }

    /** The daemon's page of this pull request's checks, under {@code [web] public_url}. */
    public String pagePath() {
        return "/runs/" + runKey();
    }

    /** What identifies the pull request across forges, for queues and logs. */
    public String key() {
        return forgeWord() + "#" + number;
    }

    private String forgeWord() {
        return forge.name().toLowerCase(Locale.ROOT);
    }
}
