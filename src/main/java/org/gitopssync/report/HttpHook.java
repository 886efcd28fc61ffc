package org.gitopssync.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.gitopssync.cache.DestinationGuard;
import org.gitopssync.config.HooksSettings.Hook;
import org.gitopssync.config.SystemdDuration;

/**
 * POSTs an event as JSON (the hook variables, lower-case, without {@code GITOPS_}) to an http hook's
 * URL, for ntfy, Matrix or Slack bridges. The URL passes the caches' destination guard first, and
 * redirects are not followed, so a hook cannot be steered at the agent's own network.
 */
public final class HttpHook {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DestinationGuard guard;
    private final HttpClient client;

    public HttpHook(DestinationGuard guard) {
        this.guard = guard;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    void post(Hook hook, Map<String, String> fields) {
        guard.checkWebUrl(hook.describe(), "hook", hook.url(), hook.allowPrivateHosts());
        Map<String, String> body = new LinkedHashMap<>();
        fields.forEach((k, v) -> body.put(k.toLowerCase(Locale.ROOT), v));
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a hook's JSON: " + e.getMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(hook.url()))
                .timeout(hook.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "gitops-sync")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new HookFailedException("no answer within " + SystemdDuration.format(hook.timeout()), e);
        } catch (IOException e) {
            throw new HookFailedException("cannot POST: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HookFailedException("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new HookFailedException("the server answered HTTP " + response.statusCode());
        }
    }
}
