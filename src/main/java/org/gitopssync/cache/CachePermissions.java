package org.gitopssync.cache;

import java.util.List;
import org.gitopssync.config.CacheSettings;

/** Decides whether a build may push to a cache: repository and branch globs, pull requests, forks. */
final class CachePermissions {

    /** Allowed, or denied with a reason that says which setting to change. */
    record Decision(boolean allowed, String reason) {
        static Decision allow() {
            return new Decision(true, null);
        }

        static Decision deny(String reason) {
            return new Decision(false, reason);
        }
    }

    private CachePermissions() {
    }

    static Decision evaluate(CacheSettings.Permissions p, PushRequest request) {
        // Fork code is untrusted: whatever it built could poison every machine using the cache.
        if (request.fromFork() && !p.forks()) {
            return Decision.deny("pull request from a fork; permissions.forks is false");
        }
        if (request.pullRequest() && !p.pullRequests()) {
            return Decision.deny("pull request build; permissions.pull_requests is false");
        }
        if (p.allowAll()) {
            return Decision.allow();
        }
        if (!anyMatches(p.repositories(), request.repository())) {
            return Decision.deny("repository " + request.repository() + " is not in permissions.repositories");
        }
        if (!anyMatches(p.branches(), request.branch())) {
            return Decision.deny((request.pullRequest() ? "pull request branch " : "branch ") + request.branch()
                    + " is not in permissions.branches");
        }
        return Decision.allow();
    }

    private static boolean anyMatches(List<String> globs, String value) {
        return globs.stream().anyMatch(g -> Glob.of(g).matches(value));
    }
}
