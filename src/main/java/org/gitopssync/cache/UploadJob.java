package org.gitopssync.cache;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.gitopssync.config.CacheSettings;

/**
 * One upload to one cache: the paths, whether they are exactly what the cache lacks (so the
 * tool need not walk closures), a private directory for secret files, and the log file.
 */
record UploadJob(
        CacheSettings cache,
        List<StorePath> paths,
        boolean exactSet,
        PrivateScratch scratch,
        Path logFile,
        Set<String> revealed) {

    UploadJob {
        paths = List.copyOf(paths);
    }

    static UploadJob of(CacheSettings cache, List<StorePath> paths, boolean exactSet, PrivateScratch scratch,
            Path logFile) {
        return new UploadJob(cache, paths, exactSet, scratch, logFile, ConcurrentHashMap.newKeySet());
    }

    UploadJob withPaths(List<StorePath> other) {
        return new UploadJob(cache, other, exactSet, scratch, logFile, revealed);
    }

    /** Remembers a secret value so that no message built from tool output can carry it. */
    void redact(String secret) {
        if (secret != null && secret.length() >= 4) {
            revealed.add(secret);
        }
    }

    /** {@code text} with every revealed secret replaced. */
    String redacted(String text) {
        String out = text;
        for (String s : revealed) {
            out = out.replace(s, "<redacted>");
        }
        return out;
    }

    List<String> pathStrings() {
        return paths.stream().map(StorePath::path).toList();
    }
}
