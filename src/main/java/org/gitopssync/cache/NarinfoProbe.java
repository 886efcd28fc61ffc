package org.gitopssync.cache;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.gitopssync.Cancellation;
import org.gitopssync.config.CacheSettings;

/**
 * Asks a binary cache which store paths it already has, by looking for their {@code .narinfo}
 * files, so that only the rest is handed to {@code nix copy}. A cache that cannot be asked is
 * assumed to lack the path: nix checks again before uploading, so that costs time, not correctness.
 */
interface NarinfoProbe {

    /** The paths split into those the cache has and those it lacks (or could not tell), order kept. */
    Presence check(List<StorePath> paths, Cancellation cancellation);

    /** The split of a probe. */
    record Presence(List<StorePath> present, List<StorePath> missing) {
        public Presence {
            present = List.copyOf(present);
            missing = List.copyOf(missing);
        }
    }

    /** Which way the agent itself asks a cache for narinfos: by file, over HTTP, or not at all. */
    enum Kind { FILE, HTTP, NONE }

    /** How a cache is probed: nix-copy to file:// or http(s):// only; other stores only nix can ask (s3, ssh). */
    static Kind kind(CacheSettings cache) {
        if (cache.type() != CacheSettings.Type.NIX_COPY) {
            return Kind.NONE;
        }
        String scheme = scheme(cache.destination());
        return "file".equals(scheme) ? Kind.FILE
                : "http".equals(scheme) || "https".equals(scheme) ? Kind.HTTP : Kind.NONE;
    }

    private static String scheme(String destination) {
        try {
            return new URI(destination).getScheme();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The probe for a cache, if {@link #kind} says the agent asks it itself. */
    static Optional<NarinfoProbe> forCache(CacheSettings cache, HttpClient http, int concurrency) {
        Kind kind = kind(cache);
        if (kind == Kind.NONE) {
            return Optional.empty();
        }
        URI uri = URI.create(cache.destination());
        if (kind == Kind.FILE) {
            return Optional.of(new FileNarinfoProbe(Path.of(uri.getPath())));
        }
        // Nix appends "/<hash>.narinfo" to the URL without its query (compression=..., etc.).
        String base = uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return Optional.of(new HttpNarinfoProbe(URI.create(base), http, concurrency));
    }
}
