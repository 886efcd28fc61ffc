package org.gitopssync.config;

import java.util.List;

/** {@code [security]}: webhook and pull-request safety switches. */
public record SecuritySettings(
        boolean allowInsecureWebhooks,
        int webhookMaxBodyBytes,
        boolean requireApproval,
        List<String> trustedAuthors,
        String approvalLabel) {

    /** The label a maintainer puts on a pull request to approve its head. */
    public static final String DEFAULT_APPROVAL_LABEL = "gitops-sync: approved";

    public SecuritySettings {
        trustedAuthors = List.copyOf(trustedAuthors);
    }

    static SecuritySettings from(ConfigSection s) {
        String label = s.string("approval_label", DEFAULT_APPROVAL_LABEL).strip();
        if (label.isEmpty()) {
            throw new ConfigException(s.keyName("approval_label") + ": must name a label (the default is \""
                    + DEFAULT_APPROVAL_LABEL + "\")");
        }
        return new SecuritySettings(
                s.bool("allow_insecure_webhooks", false),
                s.integer("webhook_max_body_bytes", 1024 * 1024, 1024, 64 * 1024 * 1024),
                s.bool("require_approval", false),
                s.strings("trusted_authors", List.of()),
                label);
    }

    /**
     * Whether a pull request waits for a maintainer's approval before it is evaluated: one from a
     * fork always, any other only with {@code require_approval}; never one by a trusted author.
     */
    public boolean needsApproval(String author, boolean fromFork) {
        if (trusted(author)) {
            return false;
        }
        return fromFork || requireApproval;
    }

    /** Whether the author is in {@code trusted_authors} (forge logins compare without case, as the forges do). */
    public boolean trusted(String author) {
        return author != null && trustedAuthors.stream().anyMatch(author::equalsIgnoreCase);
    }
}
