package org.gitopssync.config;

import java.util.List;

/** {@code [security]}: webhook and pull-request safety switches. */
public record SecuritySettings(
        boolean allowInsecureWebhooks,
        int webhookMaxBodyBytes,
        boolean requireApproval,
        List<String> trustedAuthors) {

    public SecuritySettings {
        trustedAuthors = List.copyOf(trustedAuthors);
    }

    static SecuritySettings from(ConfigSection s) {
        return new SecuritySettings(
                s.bool("allow_insecure_webhooks", false),
                s.integer("webhook_max_body_bytes", 1024 * 1024, 1024, 64 * 1024 * 1024),
                s.bool("require_approval", false),
                s.strings("trusted_authors", List.of()));
    }

    /** Whether a pull request by this author may run without an approval. */
    public boolean trusts(String author) {
        return !requireApproval || author != null && trustedAuthors.contains(author);
    }
}
