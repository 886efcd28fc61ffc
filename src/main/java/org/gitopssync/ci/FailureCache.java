package org.gitopssync.ci;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed derivations are not rebuilt on every poll: a run looks each one up before building it.
 * {@code ci.cache_failures = false} turns this off; a retry run forgets everything first; a
 * rebuilding run ({@code sync --force}) builds the failures it meets again.
 */
final class FailureCache {

    private final CiResultStore store;
    private final boolean enabled;
    private final Map<String, CachedFailure> known;
    private final boolean rebuild;

    private FailureCache(CiResultStore store, boolean enabled, Map<String, CachedFailure> known, boolean rebuild) {
        this.store = store;
        this.enabled = enabled;
        this.known = new ConcurrentHashMap<>(known);
        this.rebuild = rebuild;
    }

    /**
     * {@code retry} forgets every cached failure first; {@code rebuild} builds this run's cached
     * failures again without forgetting the others.
     */
    static FailureCache open(CiResultStore store, boolean enabled, boolean retry, boolean rebuild) {
        if (retry) {
            store.clearFailures();
        }
        return new FailureCache(store, enabled, enabled ? store.cachedFailures() : Map.of(), rebuild);
    }

    Optional<CachedFailure> lookup(String drvPath) {
        return enabled && !rebuild ? Optional.ofNullable(known.get(drvPath)) : Optional.empty();
    }

    void remember(CachedFailure failure) {
        if (enabled) {
            known.put(failure.drvPath(), failure);
            store.rememberFailure(failure);
        }
    }

    /** A derivation that built after all (a flaky failure, or built elsewhere) is forgotten. */
    void forget(String drvPath) {
        if (known.remove(drvPath) != null) {
            store.forgetFailures(List.of(drvPath));
        }
    }
}
