package org.gitopssync.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.gitopssync.cache.DestinationGuard;
import org.gitopssync.config.Credential;

/**
 * A release store behind http(s): GET for hosts, PUT with a bearer token for builders. Every URL passes the
 * caches' destination guard and redirects are not followed, so the store cannot be steered at the agent's network.
 */
final class HttpReleaseStore implements ReleaseStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A record is well under a kilobyte: a store that answers more is not read into memory. */
    static final int MAX_BODY = 64 * 1024;

    private final String base;
    private final Supplier<Optional<Credential>> token;
    private final DestinationGuard guard;
    private final boolean allowPrivateHosts;
    private final HttpClient client;

    HttpReleaseStore(String base, Supplier<Optional<Credential>> token, DestinationGuard guard,
            boolean allowPrivateHosts) {
        this.base = base.replaceAll("/+$", "");
        this.token = token;
        this.guard = guard;
        this.allowPrivateHosts = allowPrivateHosts;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(TIMEOUT).build();
    }

    @Override
    public Optional<String> read(String host, String commit) {
        return get(ReleaseRecord.location(host, commit));
    }

    @Override
    public Optional<String> latest(String host) {
        return get(host + "/latest").map(String::strip).filter(s -> !s.isEmpty());
    }

    @Override
    public void publish(ReleaseRecord record) {
        put(record.location(), record.toJson(), "application/json");
        put(record.host() + "/latest", record.commit() + "\n", "text/plain");
    }

    @Override
    public String describe(String host, String commit) {
        return base + "/" + ReleaseRecord.location(host, commit);
    }

    private Optional<String> get(String path) {
        String url = base + "/" + path;
        HttpResponse<String> response = send(url, HttpRequest.newBuilder(URI.create(url)).GET(), "GET");
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() / 100 != 2) {
            throw new ReleaseException("GET " + url + ": the release store answered HTTP " + response.statusCode());
        }
        if (response.body().length() > MAX_BODY) {
            throw new ReleaseException("GET " + url + ": the release store answered more than " + MAX_BODY / 1024
                    + " KiB, which is no release record");
        }
        return Optional.of(response.body());
    }

    private void put(String path, String body, String type) {
        String url = base + "/" + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        token.get().ifPresent(t -> request.header("Authorization", "Bearer " + t.reveal()));
        HttpResponse<String> response = send(url, request, "PUT");
        if (response.statusCode() / 100 != 2) {
            throw new ReleaseException("PUT " + url + ": the release store answered HTTP " + response.statusCode()
                    + (response.statusCode() == 401 || response.statusCode() == 403
                            ? " (check fleet.releases_credentials)" : ""));
        }
    }

    /** At most one byte more than {@link #MAX_BODY}, so an endless answer is cut, and the length says it was. */
    private static String bounded(InputStream in) {
        try (in) {
            return new String(in.readNBytes(MAX_BODY + 1), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(String url, HttpRequest.Builder request, String method) {
        guard.checkWebUrl("fleet.releases", "release store", url, allowPrivateHosts);
        try {
            return client.send(request.timeout(TIMEOUT).header("User-Agent", "gitops-sync").build(),
                    info -> HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(),
                            HttpReleaseStore::bounded));
        } catch (IOException e) {
            throw new ReleaseException(method + " " + url + ": " + (e.getMessage() == null ? "no answer" : e.getMessage()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseException(method + " " + url + ": interrupted", e);
        }
    }
}
