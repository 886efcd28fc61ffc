package org.gitopssync.source;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;

/**
 * The ref a host follows ({@code repository.ref}): a branch or a tag, written in full or as a bare name. Which
 * one a bare name means is learnt from the remote's refs; a bare name that is both is refused, so the agent
 * never guesses which one a host should run.
 */
final class FollowedRef {

    private final String configured;
    /** The full name as the last listing resolved it; until then the configured name read as a branch. */
    private volatile String resolved;

    FollowedRef(String configured) {
        this.configured = configured;
    }

    /** Whether the remote's tags must be listed too. */
    boolean mayBeTag() {
        return !configured.startsWith(Constants.R_HEADS);
    }

    boolean isResolved() {
        return resolved != null;
    }

    /** The full name: {@code refs/heads/<branch>} or {@code refs/tags/<tag>}. */
    String fullName() {
        return resolved != null ? resolved : candidates().get(0);
    }

    /** The followed ref among the remote's {@code refs}, or empty; resolves a bare name as a side effect. */
    Optional<Ref> pick(Collection<Ref> refs, String url) {
        List<String> candidates = candidates();
        List<Ref> found = refs.stream().filter(r -> candidates.contains(r.getName())).toList();
        if (found.size() > 1) {
            throw new SourceException("repository.ref \"" + configured + "\" is both a branch and a tag in " + url
                    + "; write refs/heads/" + configured + " or refs/tags/" + configured
                    + " to say which one this host follows");
        }
        resolved = found.isEmpty() ? candidates.get(0) : found.get(0).getName();
        return found.stream().findFirst();
    }

    /** For messages: {@code main} for a branch, {@code tag v1} for a tag. */
    String displayName() {
        String ref = resolved != null ? resolved : configured;
        if (ref.startsWith(Constants.R_TAGS)) {
            return "tag " + ref.substring(Constants.R_TAGS.length());
        }
        return ref.startsWith(Constants.R_HEADS) ? ref.substring(Constants.R_HEADS.length()) : ref;
    }

    /** Why the remote has no such ref, in words. */
    String notFound(String url) {
        if (configured.startsWith(Constants.R_TAGS)) {
            return "tag " + configured.substring(Constants.R_TAGS.length()) + " does not exist in " + url;
        }
        if (configured.startsWith(Constants.R_HEADS)) {
            return "branch " + configured.substring(Constants.R_HEADS.length()) + " does not exist in " + url;
        }
        return "branch " + configured + " does not exist in " + url + " (nor a tag of that name)";
    }

    /** The full names the configured one may mean: itself, or a bare name as a branch, then as a tag. */
    List<String> candidates() {
        return configured.startsWith(Constants.R_REFS) ? List.of(configured)
                : List.of(Constants.R_HEADS + configured, Constants.R_TAGS + configured);
    }
}
