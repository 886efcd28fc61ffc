package org.gitopssync.cache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.Nix;

/** {@code nix copy --to <url>}; cloud keys and the like reach nix through its environment. */
final class NixCopyPusher implements CachePusher {

    private final Nix nix;
    private final CacheCredentials credentials;

    NixCopyPusher(Nix nix, CacheCredentials credentials) {
        this.nix = nix;
        this.credentials = credentials;
    }

    @Override
    public Command command(UploadJob job) {
        String destination = job.cache().destination();
        List<String> argv = nix.command("copy");
        // A remembered "present" answer for a cache that was since wiped would make nix skip an
        // upload we know is needed; ask the cache every time.
        argv.addAll(List.of("--option", "narinfo-cache-positive-ttl", "0",
                "--option", "narinfo-cache-negative-ttl", "0"));
        if (destination.startsWith("http://") || destination.startsWith("https://")) {
            argv.addAll(List.of("--option", "http-connections", Integer.toString(job.cache().maxConcurrentUploads())));
        }
        argv.addAll(List.of("--to", destination));
        if (job.exactSet()) {
            // The paths are exactly what the cache lacks, dependencies first: no closure walk needed.
            argv.add("--no-recursive");
        }
        argv.add("--");
        argv.addAll(job.pathStrings());
        Map<String, String> env = new LinkedHashMap<>();
        credentials.named(job, null, Set.of()).forEach((k, v) -> env.put(k, v.reveal()));
        return Command.of(argv).withEnvironment(env).withTimeout(job.cache().timeout()).loggingTo(job.logFile());
    }
}
