package org.gitopssync.cache;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.gitopssync.Cancellation;
import org.jboss.logging.Logger;

/**
 * Asks an http(s) binary cache for {@code <hash>.narinfo} with HEAD (GET when HEAD is not
 * supported), a bounded number at a time. Only 200 counts as present; redirects are not
 * followed, so a cache cannot send the agent to another host.
 */
final class HttpNarinfoProbe implements NarinfoProbe {

    private static final Logger LOG = Logger.getLogger(HttpNarinfoProbe.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    private final int concurrency;

    HttpNarinfoProbe(URI base, HttpClient http, int concurrency) {
        this.base = base;
        this.http = http;
        this.concurrency = Math.max(1, concurrency);
    }

    /** A client that never follows redirects (the destination guard checked this host, not others). */
    static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Override
    public Presence check(List<StorePath> paths, Cancellation cancellation) {
        Semaphore slots = new Semaphore(concurrency);
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (StorePath p : paths) {
            if (cancellation.isCancelled()) {
                answers.add(CompletableFuture.completedFuture(false));
                continue;
            }
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answers.add(CompletableFuture.completedFuture(false));
                continue;
            }
            URI uri = URI.create(base + "/" + p.hashPart() + ".narinfo");
            answers.add(exists(uri, "HEAD").whenComplete((ok, e) -> slots.release()));
        }
        List<StorePath> present = new ArrayList<>();
        List<StorePath> missing = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            (answers.get(i).join() ? present : missing).add(paths.get(i));
        }
        return new Presence(present, missing);
    }

    private CompletableFuture<Boolean> exists(URI uri, String method) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(REQUEST_TIMEOUT);
        if ("http".equals(uri.getScheme())) {
            // Plain http gains nothing from an h2c upgrade attempt, and it costs connection reuse.
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        HttpRequest request = builder.build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenCompose(r -> {
                    int status = r.statusCode();
                    if ((status == 405 || status == 501) && method.equals("HEAD")) {
                        return exists(uri, "GET");
                    }
                    if (status != 200 && status != 404 && status != 403) {
                        LOG.debugf("narinfo probe %s: HTTP %d, treating as missing", uri, status);
                    }
                    return CompletableFuture.completedFuture(status == 200);
                })
                .exceptionally(e -> {
                    LOG.debugf("narinfo probe %s failed (%s), treating as missing", uri, e.getMessage());
                    return false;
                });
    }
}
