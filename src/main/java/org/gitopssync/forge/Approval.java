package org.gitopssync.forge;

import java.time.Instant;

/**
 * A maintainer's approval of a pull request: the approval label (when it was last applied) or a
 * {@code /gitops-sync approve} comment. {@code commit} is the sha (or prefix) an approve comment
 * names, null when it names none.
 */
public record Approval(Kind kind, String user, Instant at, String commit) {

    /** Where the approval was given. */
    public enum Kind { LABEL, COMMENT }

    /**
     * Whether it approves {@code headSha}, which became the head at {@code headSince}: a named commit
     * approves exactly that commit; otherwise the approval must be newer than the head, so a push
     * after an approval always needs a new one.
     */
    public boolean approves(String headSha, Instant headSince) {
        return commit != null ? headSha.startsWith(commit) : at.isAfter(headSince);
    }

    /** How a status or log names it: {@code label by alice}, {@code comment by bob}. */
    public String describe() {
        return (kind == Kind.LABEL ? "label" : "comment") + " by " + user;
    }
}
