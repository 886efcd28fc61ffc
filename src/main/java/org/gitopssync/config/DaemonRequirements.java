package org.gitopssync.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What the daemon refuses to start with although every key is valid on its own: checked by
 * {@code config check} and at the daemon's start, so that a config said to be valid never ends in
 * a restart loop under {@code Restart=on-failure}.
 */
public final class DaemonRequirements {

    private DaemonRequirements() {
    }

    /** One line per problem, naming the file and key; empty when the daemon will start. */
    public static List<String> problems(Settings settings) {
        List<String> out = new ArrayList<>();
        if (settings.web().enable() && !settings.security().allowInsecureWebhooks()) {
            for (int i = 0; i < settings.forges().size(); i++) {
                if (settings.forges().get(i).webhookSecret() instanceof CredentialSource.None) {
                    out.add(settings.file() + ": forges[" + i + "].webhook_secret: required when web.enable = true"
                            + " (the daemon's webhook listener refuses to start without a secret; set"
                            + " security.allow_insecure_webhooks = true only for local development)");
                }
            }
        }
        return out;
    }

    /** Throws the first problem as a configuration error (exit 2). */
    public static void check(Settings settings) {
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
    }
}
