package org.gitopssync.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.gitopssync.Cancellation;
import org.gitopssync.GitopsException;
import org.gitopssync.Sleeper;
import org.gitopssync.config.CacheSettings;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.config.Settings;
import org.gitopssync.nix.Nix;
import org.jboss.logging.Logger;

/**
 * Pushes a build's outputs (with their closures) to every configured cache whose permissions
 * cover the build. Never throws for one cache's trouble: each cache gets an outcome, and
 * {@link PushReport#requiredFailed()} says whether the cycle must fail.
 */
public final class CachePublisher {

    private static final Logger LOG = Logger.getLogger(CachePublisher.class);
    private static final int PARALLEL_CACHES = 2;

    private final List<CacheSettings> caches;
    private final Nix nix;
    private final DestinationGuard guard;
    private final CacheUpload upload;
    private final int parallelCaches;
    private final Path scratchRoot;

    /** A publisher for the configured caches; secret files live under $RUNTIME_DIRECTORY, else the state dir. */
    public static CachePublisher create(Settings settings, Nix nix, CredentialResolver credentials) {
        String runtime = System.getenv("RUNTIME_DIRECTORY");
        Path scratch = runtime != null && !runtime.isBlank()
                ? Path.of(runtime.split(":")[0], "cache")
                : settings.stateDir().resolve("run/cache");
        return new CachePublisher(settings.caches(), nix, credentials, scratch);
    }

    public CachePublisher(List<CacheSettings> caches, Nix nix, CredentialResolver credentials, Path scratchRoot) {
        // only http(s) caches are probed over HTTP; a client (and its selector thread) is not free
        this(caches, nix, credentials, scratchRoot, HostResolver.SYSTEM, Sleeper.SYSTEM,
                caches.stream().anyMatch(c -> NarinfoProbe.kind(c) == NarinfoProbe.Kind.HTTP)
                        ? HttpNarinfoProbe.defaultClient() : null,
                PARALLEL_CACHES);
    }

    CachePublisher(List<CacheSettings> caches, Nix nix, CredentialResolver resolver, Path scratchRoot,
            HostResolver hosts, Sleeper sleeper, HttpClient http, int parallelCaches) {
        this.caches = List.copyOf(caches);
        this.nix = nix;
        this.guard = new DestinationGuard(hosts);
        CacheCredentials credentials = new CacheCredentials(resolver);
        Map<CacheSettings.Type, CachePusher> pushers = Map.of(
                CacheSettings.Type.NIX_COPY, new NixCopyPusher(nix, credentials),
                CacheSettings.Type.CACHIX, new CachixPusher(credentials),
                CacheSettings.Type.ATTIC, new AtticPusher(credentials),
                CacheSettings.Type.NIKS3, new Niks3Pusher(credentials));
        UploadAttempts attempts = new UploadAttempts(nix.runner(), sleeper, Duration.ofSeconds(2), Duration.ofMinutes(1));
        this.upload = new CacheUpload(pushers, attempts, new StorePathSigner(nix), credentials, http, scratchRoot);
        this.parallelCaches = Math.max(1, parallelCaches);
        this.scratchRoot = scratchRoot;
    }

    /**
     * Removes the private scratch directories (tokens, tool configs) that a killed or crashed
     * process left behind; returns how many. Called at the start of every cycle.
     */
    public int removeLeftoverScratch() {
        try {
            return PrivateScratch.removeLeftovers(scratchRoot);
        } catch (IOException e) {
            LOG.warnf("cannot remove leftover private files under %s: %s", scratchRoot, e.getMessage());
            return 0;
        }
    }

    public List<CacheSettings> caches() {
        return caches;
    }

    /**
     * Pushes {@code request.outPaths()} where allowed. Throws {@link IllegalArgumentException} only
     * for a request naming something that is not a store path.
     */
    public PushReport publish(PushRequest request, Cancellation cancellation) {
        List<StorePath> outPaths = request.outPaths().stream()
                .map(p -> StorePath.parse(p, StorePath.DEFAULT_STORE_DIR)).toList();
        List<CacheOutcome> outcomes = new ArrayList<>();
        if (caches.isEmpty()) {
            return new PushReport(outcomes);
        }
        Supplier<List<StorePath>> closure = closure(request, outPaths, cancellation);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelCaches, caches.size()), r -> {
            Thread t = new Thread(r, "cache-push");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CacheOutcome>> futures = new ArrayList<>();
            for (CacheSettings cache : caches) {
                futures.add(pool.submit(() -> publishOne(cache, request, outPaths, closure, cancellation)));
            }
            for (int i = 0; i < futures.size(); i++) {
                outcomes.add(await(futures.get(i), caches.get(i)));
            }
        } finally {
            pool.shutdownNow();
        }
        return new PushReport(outcomes);
    }

    private CacheOutcome publishOne(CacheSettings cache, PushRequest request, List<StorePath> outPaths,
            Supplier<List<StorePath>> closure, Cancellation cancellation) {
        long started = System.nanoTime();
        CacheOutcome outcome;
        CachePermissions.Decision decision = CachePermissions.evaluate(cache.permissions(), request);
        if (!decision.allowed()) {
            outcome = CacheOutcome.skipped(cache.id(), cache.destination(), cache.required(), decision.reason());
        } else if (cancellation.isCancelled()) {
            outcome = failed(cache, "cancelled: " + cancellation.reason(), outPaths.size(), started);
        } else {
            try {
                guard.check(cache);
                Path log = request.logDir() == null ? null : request.logDir().resolve("cache-" + cache.id() + ".log");
                outcome = upload.run(cache, outPaths, closure, log, cancellation);
            } catch (CacheException e) {
                outcome = failed(cache, e.reason(), outPaths.size(), started);
            } catch (GitopsException | UncheckedIOException e) {
                outcome = failed(cache, e.getMessage(), outPaths.size(), started);
            }
        }
        log(cache, outcome);
        return outcome;
    }

    private static void log(CacheSettings cache, CacheOutcome outcome) {
        String line = "cache " + outcome.summaryLine() + " [" + cache.destination() + ", "
                + outcome.duration().toMillis() + " ms]";
        if (outcome.status() == CacheOutcome.Status.FAILED) {
            LOG.warn(line);
        } else {
            LOG.info(line);
        }
    }

    private static CacheOutcome failed(CacheSettings cache, String reason, int paths, long started) {
        return new CacheOutcome(cache.id(), cache.destination(), CacheOutcome.Status.FAILED, cache.required(),
                0, 0, paths, reason, Duration.ofNanos(System.nanoTime() - started));
    }

    private static CacheOutcome await(Future<CacheOutcome> future, CacheSettings cache) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(cache, "interrupted", 0, System.nanoTime());
        } catch (ExecutionException e) {
            // A bug, not a cache problem; still only this cache's outcome.
            LOG.error("cache " + cache.id() + ": unexpected error", e.getCause());
            return failed(cache, "unexpected error: " + e.getCause(), 0, System.nanoTime());
        }
    }

    /**
     * The closure, computed once for all caches. When a cache will ask its narinfos over HTTP (or sign first), the
     * local query starts now, in parallel with the network probes of the outputs; an unsigned file:// cache reads
     * the closure from its own narinfos and asks for this one only as a fallback, so it starts on first use.
     */
    private Supplier<List<StorePath>> closure(PushRequest request, List<StorePath> outPaths,
            Cancellation cancellation) {
        List<CacheSettings> probed = caches.stream().filter(c -> NarinfoProbe.kind(c) != NarinfoProbe.Kind.NONE
                && CachePermissions.evaluate(c.permissions(), request).allowed()).toList();
        if (probed.isEmpty()) {
            return () -> {
                throw new IllegalStateException("closure not needed");
            };
        }
        CompletableFuture<List<StorePath>> future = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                future.complete(new StoreClosure(nix).of(outPaths, null, cancellation));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }, "cache-closure");
        t.setDaemon(true);
        boolean upFront = probed.stream().anyMatch(c -> NarinfoProbe.kind(c) == NarinfoProbe.Kind.HTTP
                || !(c.signingKey() instanceof CredentialSource.None));
        AtomicBoolean started = new AtomicBoolean(upFront);
        if (upFront) {
            t.start();
        }
        return () -> {
            if (started.compareAndSet(false, true)) {
                t.start();
            }
            try {
                return future.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        };
    }
}
