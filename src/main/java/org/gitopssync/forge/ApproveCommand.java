package org.gitopssync.forge;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds a {@code /gitops-sync approve [sha]} line in a comment body. */
final class ApproveCommand {

    /** A line of its own, so quoting or mentioning the command in prose does not approve anything. */
    private static final Pattern LINE = Pattern.compile(
            "(?m)^[ \\t]*" + Pattern.quote(PullRequestApprovals.COMMAND) + "(?:[ \\t]+([0-9a-fA-F]{7,64}))?[ \\t]*\\r?$");

    private ApproveCommand() {
    }

    /** Empty when the body does not approve; else the named sha prefix, or "" for none. */
    static Optional<String> parse(String body) {
        if (body == null) {
            return Optional.empty();
        }
        Matcher m = LINE.matcher(body);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1) == null ? "" : m.group(1).toLowerCase(Locale.ROOT));
    }

    static Approval approval(String user, Instant at, String named) {
        return new Approval(Approval.Kind.COMMENT, user, at, named.isEmpty() ? null : named);
    }
}
