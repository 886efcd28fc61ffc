package org.gitopssync.cache;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.gitopssync.Cancellation;

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

    /** A probe for file:// and http(s):// destinations; empty for stores only nix can ask (s3, ssh). */
    static Optional<NarinfoProbe> forDestination(String destination, HttpClient http, int concurrency) {
        URI uri;
        try {
            uri = new URI(destination);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme();
        if ("file".equals(scheme)) {
            return Optional.of(new FileNarinfoProbe(Path.of(uri.getPath())));
        }
        if ("http".equals(scheme) || "https".equals(scheme)) {
            // Nix appends "/<hash>.narinfo" to the URL without its query (compression=..., etc.).
            String base = scheme + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            return Optional.of(new HttpNarinfoProbe(URI.create(base), http, concurrency));
        }
        return Optional.empty();
    }
}
