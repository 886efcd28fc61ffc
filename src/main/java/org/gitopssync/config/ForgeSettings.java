package org.gitopssync.config;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code [[forges]]}: where commit statuses go and which webhooks are accepted. */
public record ForgeSettings(
        ForgeType type,
        URI apiUrl,
        String repository,
        CredentialSource credentials,
        String appId,
        Long installationId,
        CredentialSource privateKey,
        CredentialSource webhookSecret,
        int attributeContexts) {

    /** The forge software. */
    public enum ForgeType { GITHUB, GITEA, FORGEJO, GITLAB }

    private static final Pattern REPO_PATH = Pattern.compile("^(?:[a-z+]+://[^/]+/|[^@/]+@[^:]+:)(.+?)(?:\\.git)?/?$");

    static ForgeSettings from(ConfigSection s, String repositoryUrl) {
        ForgeType type = s.choice("type", ForgeType.class, null);
        if (type == null) {
            throw s.error("type", "required: one of \"github\", \"gitea\", \"forgejo\", \"gitlab\"");
        }
        String api = s.string("api_url", type == ForgeType.GITHUB ? "https://api.github.com" : null);
        if (api == null) {
            throw s.error("api_url", "required for " + ConfigSection.wordOf(type) + " (the instance's base URL)");
        }
        URI apiUrl;
        try {
            apiUrl = URI.create(api);
            if (!"https".equals(apiUrl.getScheme()) && !"http".equals(apiUrl.getScheme())) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (IllegalArgumentException e) {
            throw s.error("api_url", "expected an http(s) URL, got \"" + api + "\"");
        }
        String repository = s.string("repository", derivedRepository(repositoryUrl));
        if (repository == null) {
            throw s.error("repository", "required: cannot derive owner/name from repository.url " + repositoryUrl);
        }
        String appId = s.stringOrInteger("app_id", null);
        int installationId = s.integer("installation_id", 0, 0, Integer.MAX_VALUE);
        CredentialSource privateKey = s.credential("private_key", CredentialSource.none());
        CredentialSource token = s.credential("credentials", CredentialSource.none());
        if (appId != null) {
            if (type != ForgeType.GITHUB) {
                throw s.error("app_id", "GitHub App authentication is only for type = \"github\"");
            }
            if (installationId == 0 || privateKey instanceof CredentialSource.None) {
                throw s.error("app_id", "a GitHub App also needs installation_id and private_key");
            }
        } else if (token instanceof CredentialSource.None) {
            throw s.error("credentials", "required: a token source, or app_id + installation_id + private_key for a GitHub App");
        }
        return new ForgeSettings(type, apiUrl, repository, token, appId,
                installationId == 0 ? null : (long) installationId, privateKey,
                s.credential("webhook_secret", CredentialSource.none()),
                s.integer("attribute_contexts", 40, 0, 200));
    }

    /** {@code owner/name} (or a GitLab group path) from an https, ssh or scp-style clone URL. */
    public static String derivedRepository(String url) {
        if (url == null) {
            return null;
        }
        Matcher m = REPO_PATH.matcher(url);
        return m.matches() && m.group(1).contains("/") ? m.group(1) : null;
    }
}
