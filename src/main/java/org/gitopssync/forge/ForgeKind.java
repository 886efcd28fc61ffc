package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.gitopssync.config.Credential;

/**
 * The forge software a repository is hosted on, with everything that differs between forges: API
 * root, token header, webhook headers, verifier and parser, and where a pull request's head is
 * published. Forgejo speaks Gitea's API with its own webhook headers (and sends Gitea's alongside).
 */
public enum ForgeKind {
    GITHUB("GitHub", "", "Authorization", "Bearer ",
            List.of("X-GitHub-Event"), List.of("X-GitHub-Delivery"),
            secret -> new HmacSignatureVerifier(secret, "sha256=", "X-Hub-Signature-256"),
            GitHubEventParser::parse, "repository.full_name", "refs/pull/%d/head"),
    GITEA("Gitea", "/api/v1", "Authorization", "token ",
            List.of("X-Gitea-Event", "X-Gitea-Event-Type"), List.of("X-Gitea-Delivery"),
            secret -> new HmacSignatureVerifier(secret, "", "X-Gitea-Signature"),
            GitHubEventParser::parse, "repository.full_name", "refs/pull/%d/head"),
    FORGEJO("Forgejo", "/api/v1", "Authorization", "token ",
            List.of("X-Forgejo-Event", "X-Gitea-Event", "X-Forgejo-Event-Type", "X-Gitea-Event-Type"),
            List.of("X-Forgejo-Delivery", "X-Gitea-Delivery"),
            secret -> new HmacSignatureVerifier(secret, "", "X-Forgejo-Signature", "X-Gitea-Signature"),
            GitHubEventParser::parse, "repository.full_name", "refs/pull/%d/head"),
    // GitLab before 17.4 sends no Idempotency-Key; the event UUID differs between retries
    GITLAB("GitLab", "/api/v4", "PRIVATE-TOKEN", "",
            List.of("X-Gitlab-Event"), List.of("Idempotency-Key", "X-Gitlab-Event-UUID"),
            GitLabTokenVerifier::new, GitLabEventParser::parse, "project.path_with_namespace",
            "refs/merge-requests/%d/head");

    private final String displayName;
    private final String apiSuffix;
    private final String tokenHeader;
    private final String tokenPrefix;
    private final List<String> eventHeaders;
    private final List<String> deliveryHeaders;
    private final Function<Credential, WebhookVerifier> verifier;
    private final BiFunction<String, JsonNode, WebhookEvent> parser;
    private final String hookRepositoryField;
    private final String pullRequestRef;

    ForgeKind(String displayName, String apiSuffix, String tokenHeader, String tokenPrefix, List<String> eventHeaders,
            List<String> deliveryHeaders, Function<Credential, WebhookVerifier> verifier,
            BiFunction<String, JsonNode, WebhookEvent> parser, String hookRepositoryField, String pullRequestRef) {
        this.displayName = displayName;
        this.apiSuffix = apiSuffix;
        this.tokenHeader = tokenHeader;
        this.tokenPrefix = tokenPrefix;
        this.eventHeaders = eventHeaders;
        this.deliveryHeaders = deliveryHeaders;
        this.verifier = verifier;
        this.parser = parser;
        this.hookRepositoryField = hookRepositoryField;
        this.pullRequestRef = pullRequestRef;
    }

    public String displayName() {
        return displayName;
    }

    /** Where the forge publishes the head of pull (merge) request {@code number} in the base repository. */
    public String pullRequestRef(int number) {
        return String.format(pullRequestRef, number);
    }

    /** The API root under an instance URL ({@code /api/v1}, {@code /api/v4}); GitHub's URL is the root. */
    String apiRoot(String baseUrl) {
        return baseUrl.endsWith(apiSuffix) ? baseUrl : baseUrl + apiSuffix;
    }

    /** How a token is sent on every API request. */
    RequestAuthorizer tokenAuthorizer(Credential token) {
        return RequestAuthorizer.header(tokenHeader, tokenPrefix, token);
    }

    /** The webhook headers naming the event, first present wins. */
    String[] eventHeaders() {
        return eventHeaders.toArray(String[]::new);
    }

    /** The webhook headers carrying the delivery id, stable across redeliveries; first present wins. */
    String[] deliveryHeaders() {
        return deliveryHeaders.toArray(String[]::new);
    }

    /** Checks webhook deliveries against the shared secret. */
    WebhookVerifier webhookVerifier(Credential secret) {
        return verifier.apply(secret);
    }

    /** Parses a verified delivery's event name and JSON. */
    WebhookEvent parse(String event, JsonNode payload) {
        return parser.apply(event, payload);
    }

    /** The payload field naming the repository the hook fired for. */
    String hookRepositoryField() {
        return hookRepositoryField;
    }
}
