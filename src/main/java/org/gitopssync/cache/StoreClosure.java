package org.gitopssync.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandRunner;

/** The runtime closure of store paths, dependencies before dependents (as {@code nix-store -qR} prints it). */
final class StoreClosure {

    // Keeps each command line far below the kernel's argument size limit.
    static final int PATHS_PER_COMMAND = 1000;

    private final CommandRunner runner;

    StoreClosure(CommandRunner runner) {
        this.runner = runner;
    }

    List<StorePath> of(List<StorePath> roots, Path log, Cancellation cancellation) {
        Set<String> closure = new LinkedHashSet<>();
        for (List<StorePath> batch : batches(roots, PATHS_PER_COMMAND)) {
            List<String> argv = new ArrayList<>(List.of("nix-store", "--query", "--requisites", "--"));
            batch.forEach(p -> argv.add(p.path()));
            String out = runner.runChecked(Command.of(argv).capturingStdout().loggingTo(log)
                    .withTimeout(Duration.ofMinutes(10)), cancellation).stdout();
            // First appearance wins: each batch is already in dependency order, and a path's
            // dependencies are always listed before it in the batch that first mentions it.
            out.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(closure::add);
        }
        String storeDir = roots.isEmpty() ? StorePath.DEFAULT_STORE_DIR : roots.get(0).storeDir();
        return closure.stream().map(p -> StorePath.parse(p, storeDir)).toList();
    }

    static <T> List<List<T>> batches(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }
}
