package org.gitopssync.forge;

import java.util.Optional;
import org.jboss.logging.Logger;

/** Keeps exactly one gitops-sync plan comment per pull request, found again by a hidden marker and edited in place. */
public final class PullRequestComment {

    private static final Logger LOG = Logger.getLogger(PullRequestComment.class);
    public static final String MARKER = "<!-- gitops-sync:plan -->";

    /** What {@link #upsert} did. */
    public enum Outcome { CREATED, UPDATED, UNCHANGED }

    private final CommentThread thread;

    PullRequestComment(CommentThread thread) {
        this.thread = thread;
    }

    /** Creates the plan comment or replaces the body of the existing one; throws {@link ForgeException}. */
    public Outcome upsert(RepositoryCoordinates repository, int number, String body) {
        String marked = MARKER + "\n" + body;
        Optional<CommentThread.Comment> existing = thread.list(repository, number).stream()
                .filter(c -> c.body().contains(MARKER))
                .findFirst();
        if (existing.isEmpty()) {
            thread.create(repository, number, marked);
            LOG.debugf("plan comment created on %s #%d", repository, number);
            return Outcome.CREATED;
        }
        // Forges may normalise line endings; compare without them to avoid editing on every cycle.
        if (normalise(existing.get().body()).equals(normalise(marked))) {
            return Outcome.UNCHANGED;
        }
        thread.update(repository, number, existing.get().id(), marked);
        LOG.debugf("plan comment %s updated on %s #%s", Long.toString(existing.get().id()), repository, Integer.toString(number));
        return Outcome.UPDATED;
    }

    private static String normalise(String text) {
        return text.replace("\r\n", "\n").strip();
    }
}
