package org.gitopssync.cache;

import java.util.List;
import java.util.Optional;

/** The result of pushing one build to every configured cache, in configuration order. */
public record PushReport(List<CacheOutcome> caches) {

    public PushReport {
        caches = List.copyOf(caches);
    }

    /** True when a cache marked {@code required = true} failed: the cycle must fail. */
    public boolean requiredFailed() {
        return caches.stream().anyMatch(CacheOutcome::failedRequired);
    }

    public boolean anyFailed() {
        return caches.stream().anyMatch(c -> c.status() == CacheOutcome.Status.FAILED);
    }

    public Optional<CacheOutcome> cache(String id) {
        return caches.stream().filter(c -> c.cacheId().equals(id)).findFirst();
    }

    /** One line per cache, for the cycle summary. */
    public List<String> summaryLines() {
        return caches.stream().map(CacheOutcome::summaryLine).toList();
    }

    /** A short text for a commit status: totals over the caches that were tried. */
    public String description() {
        if (caches.isEmpty()) {
            return "no caches configured";
        }
        int pushed = 0;
        int failedCaches = 0;
        int skipped = 0;
        for (CacheOutcome c : caches) {
            switch (c.status()) {
                case PUSHED -> pushed += c.pushed();
                case FAILED -> failedCaches++;
                case SKIPPED -> skipped++;
            }
        }
        int tried = caches.size() - skipped;
        return "pushed " + pushed + " paths to " + (tried - failedCaches) + "/" + tried + " caches"
                + (failedCaches > 0 ? ", " + failedCaches + " failed" : "")
                + (skipped > 0 ? ", " + skipped + " skipped by policy" : "");
    }
}
