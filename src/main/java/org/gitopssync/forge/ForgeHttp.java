package org.gitopssync.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.gitopssync.NetworkFailure;
import org.jboss.logging.Logger;

/** Sends JSON requests to one forge's API root and turns failures into {@link ForgeException}s. */
final class ForgeHttp {

    private static final Logger LOG = Logger.getLogger(ForgeHttp.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_ERROR_TEXT = 200;

    /** What a request is about, for error messages. */
    record Target(String action, RepositoryCoordinates repository, String sha) {
        static Target of(String action, RepositoryCoordinates repository) {
            return new Target(action, repository, null);
        }
    }

    private final ForgeKind kind;
    private final URI apiRoot;
    private final HttpClient client;
    private final RequestAuthorizer authorizer;
    private final Clock clock;
    private final ObjectMapper json;

    ForgeHttp(ForgeKind kind, URI apiRoot, HttpClient client, RequestAuthorizer authorizer, Clock clock,
              ObjectMapper json) {
        this.kind = Objects.requireNonNull(kind);
        this.apiRoot = Objects.requireNonNull(apiRoot);
        this.client = Objects.requireNonNull(client);
        this.authorizer = Objects.requireNonNull(authorizer);
        this.clock = Objects.requireNonNull(clock);
        this.json = Objects.requireNonNull(json);
    }

    ForgeKind kind() {
        return kind;
    }

    ObjectMapper json() {
        return json;
    }

    Clock clock() {
        return clock;
    }

    ForgeResponse get(String path, Target target) {
        return send("GET", resolve(path), null, target);
    }

    ForgeResponse send(String method, String path, JsonNode body, Target target) {
        return send(method, resolve(path), body, target);
    }

    URI resolve(String path) {
        return URI.create(apiRoot + path);
    }

    /** Whether a URI (a pagination link) points at this forge; credentials are only ever sent there. */
    boolean sameOrigin(URI uri) {
        return apiRoot.getScheme().equalsIgnoreCase(uri.getScheme())
                && apiRoot.getHost().equalsIgnoreCase(uri.getHost())
                && apiRoot.getPort() == uri.getPort()
                && uri.getRawPath() != null && uri.getRawPath().startsWith(apiRoot.getRawPath());
    }

    ForgeResponse send(String method, URI uri, JsonNode body, Target target) {
        ForgeResponse response = attempt(method, uri, body, target);
        if (response.status() == 401 && authorizer.renewAfterUnauthorized()) {
            LOG.debugf("%s answered 401 for %s %s; retrying once with renewed credentials",
                    kind.displayName(), method, uri.getRawPath());
            response = attempt(method, uri, body, target);
        }
        if (response.status() / 100 == 2) {
            return response;
        }
        throw failure(response, target);
    }

    JsonNode readJson(ForgeResponse response, Target target) {
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new ForgeException(describe(target) + ": unreadable JSON in the answer", kind,
                    repo(target), target.sha(), response.status(), RetryAdvice.backoff(), e);
        }
    }

    private ForgeResponse attempt(String method, URI uri, JsonNode body, Target target) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("User-Agent", "gitops-sync");
        if (kind == ForgeKind.GITHUB) {
            request.header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28");
        } else {
            request.header("Accept", "application/json");
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(serialize(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        authorizer.authorize(request);
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            LOG.debugf("%s %s %s -> %d", kind.displayName(), method, uri.getRawPath(), response.statusCode());
            return new ForgeResponse(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            // The exception text of the JDK client names host and port only, never headers.
            throw new ForgeException(describe(target) + ": no answer (" + NetworkFailure.describe(e) + ")",
                    kind, repo(target), target.sha(), 0, RetryAdvice.backoff(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForgeException(describe(target) + ": interrupted", kind, repo(target), target.sha(), 0,
                    RetryAdvice.never(), e);
        }
    }

    private ForgeException failure(ForgeResponse response, Target target) {
        String text = response.text();
        RetryAdvice advice = RetryAdvice.fromResponse(response.status(), response.headers(), text, clock);
        String message = describe(target) + ": HTTP " + response.status() + errorText(text);
        return new ForgeException(message, kind, repo(target), target.sha(), response.status(), advice, null);
    }

    private String describe(Target target) {
        StringBuilder s = new StringBuilder(kind.displayName()).append(' ').append(target.action());
        if (target.repository() != null) {
            s.append(" for ").append(target.repository());
            if (target.sha() != null) {
                s.append('@').append(target.sha(), 0, Math.min(12, target.sha().length()));
            }
        }
        return s.toString();
    }

    private static String repo(Target target) {
        return target.repository() == null ? null : target.repository().fullName();
    }

    /** The forge's own error message, shortened and flattened; forges never echo request headers in it. */
    private String errorText(String body) {
        String message = null;
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                JsonNode m = node.get("message");
                message = m.isTextual() ? m.asText() : m.toString();
            } else if (node != null && node.hasNonNull("error")) {
                message = node.get("error").asText();
            }
        } catch (IOException | RuntimeException e) {
            message = null;
        }
        if (message == null || message.isBlank()) {
            return "";
        }
        String flat = message.replaceAll("\\p{Cntrl}+", " ").strip();
        if (flat.length() > MAX_ERROR_TEXT) {
            flat = flat.substring(0, MAX_ERROR_TEXT) + "...";
        }
        return " (" + flat + ")";
    }

    private byte[] serialize(JsonNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }
}
