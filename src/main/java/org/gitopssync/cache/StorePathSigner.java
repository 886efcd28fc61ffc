package org.gitopssync.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.Nix;
import org.gitopssync.nix.PathBatches;

/** Adds a signature to paths in the local store ({@code nix store sign}); uploads then carry it to the cache. */
final class StorePathSigner {

    private final Nix nix;

    StorePathSigner(Nix nix) {
        this.nix = nix;
    }

    /** Signs the paths (and with {@code recursive} their closures); the failed result, or null when all went well. */
    CommandResult sign(List<StorePath> paths, boolean recursive, Path keyFile, Path log, Cancellation cancellation) {
        for (List<StorePath> batch : PathBatches.of(paths)) {
            List<String> argv = nix.command("store", "sign");
            argv.addAll(List.of("--key-file", keyFile.toString()));
            if (recursive) {
                argv.add("--recursive");
            }
            argv.add("--");
            batch.forEach(p -> argv.add(p.path()));
            CommandResult r = nix.runner().run(Command.of(argv).withTimeout(Duration.ofMinutes(30)).loggingTo(log),
                    cancellation);
            if (!r.succeeded()) {
                return r;
            }
        }
        return null;
    }
}
