package org.gitopssync.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.Nix;
import org.gitopssync.nix.PathBatches;

/** The runtime closure of store paths, dependencies before dependents (as {@code nix-store -qR} prints it). */
final class StoreClosure {

    private final Nix nix;

    StoreClosure(Nix nix) {
        this.nix = nix;
    }

    List<StorePath> of(List<StorePath> roots, Path log, Cancellation cancellation) {
        Set<String> closure = new LinkedHashSet<>();
        for (List<StorePath> batch : PathBatches.of(roots)) {
            List<String> argv = nix.program("nix-store", "--query", "--requisites");
            argv.add("--");
            batch.forEach(p -> argv.add(p.path()));
            String out = nix.runner().runChecked(Command.of(argv).capturingStdout().loggingTo(log)
                    .withTimeout(Duration.ofMinutes(10)), cancellation).stdout();
            // First appearance wins: each batch is already in dependency order, and a path's
            // dependencies are always listed before it in the batch that first mentions it.
            out.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(closure::add);
        }
        String storeDir = roots.isEmpty() ? StorePath.DEFAULT_STORE_DIR : roots.get(0).storeDir();
        return closure.stream().map(p -> StorePath.parse(p, storeDir)).toList();
    }
}
