package org.gitopssync.cache;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.gitopssync.Cancellation;
import org.gitopssync.GitopsException;
import org.gitopssync.config.CacheSettings;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.PathBatches;
import org.jboss.logging.Logger;

/**
 * Pushes one build to one cache: finds what the cache lacks (when it can be asked), signs, uploads
 * in dependency order with retries, and counts what made it.
 */
final class CacheUpload {

    private static final Logger LOG = Logger.getLogger(CacheUpload.class);
    // Narinfo requests are tiny; this many in flight hides a remote cache's round-trip time.
    private static final int PROBE_CONCURRENCY = 32;

    private final Map<CacheSettings.Type, CachePusher> pushers;
    private final UploadAttempts attempts;
    private final StorePathSigner signer;
    private final CacheCredentials credentials;
    private final HttpClient http;
    private final Path scratchRoot;

    CacheUpload(Map<CacheSettings.Type, CachePusher> pushers, UploadAttempts attempts, StorePathSigner signer,
            CacheCredentials credentials, HttpClient http, Path scratchRoot) {
        this.pushers = Map.copyOf(pushers);
        this.attempts = attempts;
        this.signer = signer;
        this.credentials = credentials;
        this.http = http;
        this.scratchRoot = scratchRoot;
    }

    /** {@code closure} is computed at most once per build and shared by the caches that need it. */
    CacheOutcome run(CacheSettings cache, List<StorePath> outPaths, Supplier<List<StorePath>> closure, Path log,
            Cancellation cancellation) {
        long started = System.nanoTime();
        Optional<NarinfoProbe> probe = NarinfoProbe.forCache(cache, http, PROBE_CONCURRENCY);
        if (probe.isPresent() && probe.get() instanceof FileNarinfoProbe directory
                && cache.signingKey() instanceof CredentialSource.None) {
            return pushToDirectory(cache, directory, outPaths, closure, log, cancellation, started);
        }
        List<StorePath> toPush;
        int alreadyPresent;
        if (probe.isPresent()) {
            Lacking lacking = missing(probe.get(), outPaths, closure, cancellation);
            toPush = lacking.paths();
            alreadyPresent = lacking.present();
            LOG.debugf("cache %s: %d paths missing, %d present", cache.id(), toPush.size(), alreadyPresent);
        } else {
            toPush = outPaths;
            alreadyPresent = -1;
        }
        if (toPush.isEmpty()) {
            return outcome(cache, CacheOutcome.Status.PUSHED, 0, alreadyPresent, 0, null, started);
        }
        if (cancellation.isCancelled()) {
            return outcome(cache, CacheOutcome.Status.FAILED, 0, alreadyPresent, toPush.size(),
                    "cancelled: " + cancellation.reason(), started);
        }
        try (PrivateScratch scratch = PrivateScratch.create(scratchRoot, "cache-" + cache.id() + "-")) {
            UploadJob job = UploadJob.of(cache, toPush, probe.isPresent(), scratch, log);
            Optional<Path> key = credentials.signingKeyFile(job);
            if (key.isPresent()) {
                CommandResult failed = signer.sign(toPush, probe.isEmpty(), key.get(), log, cancellation);
                if (failed != null) {
                    return outcome(cache, CacheOutcome.Status.FAILED, 0, alreadyPresent, toPush.size(),
                            "signing failed: " + job.redacted(failed.failureSummary()), started);
                }
            }
            return upload(job, probe, alreadyPresent, cancellation, started);
        }
    }

    /**
     * A file:// cache without signing: the outputs its listing lacks go to one {@code nix copy}, which reads the
     * directory's narinfos for their dependencies itself (local file reads) and uploads only what is not there. The
     * summary counts the closure from the directory's own narinfos (their References), so a push runs no nix process
     * but that one copy; the local store is asked only when the narinfos cannot tell (a failed push, a damaged
     * cache). With a signing key the exact set is signed first, so that path computes the closure up front instead.
     */
    private CacheOutcome pushToDirectory(CacheSettings cache, FileNarinfoProbe directory, List<StorePath> outPaths,
            Supplier<List<StorePath>> closure, Path log, Cancellation cancellation, long started) {
        Set<String> before = directory.listedHashes();
        List<StorePath> lacking = FileNarinfoProbe.split(outPaths, before).missing();
        if (lacking.isEmpty()) {
            int present = directory.closureHashes(outPaths, before, cancellation).map(Set::size)
                    .orElseGet(() -> closureCount(closure, outPaths));
            return outcome(cache, CacheOutcome.Status.PUSHED, 0, present, 0, null, started);
        }
        if (cancellation.isCancelled()) {
            return outcome(cache, CacheOutcome.Status.FAILED, 0, outPaths.size() - lacking.size(), lacking.size(),
                    "cancelled: " + cancellation.reason(), started);
        }
        String reason = null;
        try (PrivateScratch scratch = PrivateScratch.create(scratchRoot, "cache-" + cache.id() + "-")) {
            UploadJob job = UploadJob.of(cache, lacking, false, scratch, log);
            CachePusher pusher = pushers.get(cache.type());
            for (List<StorePath> batch : PathBatches.of(lacking)) {
                UploadAttempts.Attempted a = attempts.run(job.withPaths(batch), pusher, cancellation);
                if (!a.result().succeeded()) {
                    reason = job.redacted(a.result().failureSummary())
                            + (a.attempts() > 1 ? " (after " + a.attempts() + " attempts)" : "");
                    break;
                }
            }
        }
        Set<String> after = directory.listedHashes();
        Optional<Set<String>> inCache = reason == null ? directory.closureHashes(outPaths, after, cancellation)
                : Optional.empty();
        if (inCache.isPresent()) {
            int already = (int) inCache.get().stream().filter(before::contains).count();
            return outcome(cache, CacheOutcome.Status.PUSHED, inCache.get().size() - already, already, 0, null,
                    started);
        }
        List<StorePath> all;
        try {
            all = closure.get();
        } catch (GitopsException e) {
            LOG.debugf("closure not counted: %s", e.getMessage());
            all = outPaths;
        }
        NarinfoProbe.Presence then = FileNarinfoProbe.split(all, before);
        NarinfoProbe.Presence now = FileNarinfoProbe.split(then.missing(), after);
        CacheOutcome.Status status = reason == null ? CacheOutcome.Status.PUSHED : CacheOutcome.Status.FAILED;
        return outcome(cache, status, now.present().size(), then.present().size(), reason == null ? 0
                : now.missing().size(), reason, started);
    }

    /** How many paths the closure has, for a summary; the outputs alone when it cannot be listed. */
    private static int closureCount(Supplier<List<StorePath>> closure, List<StorePath> outPaths) {
        try {
            return closure.get().size();
        } catch (GitopsException e) {
            LOG.debugf("closure not counted: %s", e.getMessage());
            return outPaths.size();
        }
    }

    /** What the cache lacks (dependencies first) and how many of the paths asked about it has. */
    private record Lacking(List<StorePath> paths, int present) {
    }

    /** What the cache lacks of the outputs' closure; outputs are asked about first. */
    private static Lacking missing(NarinfoProbe probe, List<StorePath> outPaths, Supplier<List<StorePath>> closure,
            Cancellation cancellation) {
        NarinfoProbe.Presence roots = probe.check(outPaths, cancellation);
        if (roots.missing().isEmpty()) {
            // Nix adds a path to a binary cache only once its references are there, so outputs that
            // are present bring their closures with them: one request per output. The closure is only
            // counted for the summary, so failing to list it must not fail a push that has nothing to do.
            int present;
            try {
                present = closure.get().size();
            } catch (GitopsException e) {
                LOG.debugf("closure not counted: %s", e.getMessage());
                present = outPaths.size();
            }
            return new Lacking(List.of(), present);
        }
        List<StorePath> all = closure.get();
        Set<StorePath> asked = new HashSet<>(outPaths);
        List<StorePath> rest = all.stream().filter(p -> !asked.contains(p)).toList();
        Set<StorePath> lacking = new HashSet<>(roots.missing());
        lacking.addAll(probe.check(rest, cancellation).missing());
        List<StorePath> toPush = all.stream().filter(lacking::contains).toList();
        return new Lacking(toPush, all.size() - toPush.size());
    }

    private CacheOutcome upload(UploadJob job, Optional<NarinfoProbe> probe, int alreadyPresent,
            Cancellation cancellation, long started) {
        CacheSettings cache = job.cache();
        CachePusher pusher = pushers.get(cache.type());
        List<List<StorePath>> batches = PathBatches.of(job.paths());
        int pushed = 0;
        for (int i = 0; i < batches.size(); i++) {
            UploadAttempts.Attempted a = attempts.run(job.withPaths(batches.get(i)), pusher, cancellation);
            if (a.result().succeeded()) {
                pushed += batches.get(i).size();
                continue;
            }
            String reason = job.redacted(a.result().failureSummary())
                    + (a.attempts() > 1 ? " (after " + a.attempts() + " attempts)" : "");
            List<StorePath> remaining = job.paths().subList(pushed, job.paths().size());
            int failed = remaining.size();
            if (probe.isPresent() && !cancellation.isCancelled()) {
                // A failed nix copy may still have uploaded part of the batch: count what the cache has now.
                int madeIt = probe.get().check(remaining, cancellation).present().size();
                pushed += madeIt;
                failed -= madeIt;
            }
            return outcome(cache, CacheOutcome.Status.FAILED, pushed, alreadyPresent, failed, reason, started);
        }
        return outcome(cache, CacheOutcome.Status.PUSHED, pushed, alreadyPresent, 0, null, started);
    }

    private static CacheOutcome outcome(CacheSettings cache, CacheOutcome.Status status, int pushed, int already,
            int failed, String reason, long started) {
        return new CacheOutcome(cache.id(), cache.destination(), status, cache.required(), pushed, already, failed,
                reason, Duration.ofNanos(System.nanoTime() - started));
    }
}
