package org.gitopssync.cache;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gitopssync.Cancellation;

/** Looks for {@code <hash>.narinfo} in a file:// binary cache directory. */
final class FileNarinfoProbe implements NarinfoProbe {

    private final Path dir;

    FileNarinfoProbe(Path dir) {
        this.dir = dir;
    }

    @Override
    public Presence check(List<StorePath> paths, Cancellation cancellation) {
        List<StorePath> present = new ArrayList<>();
        List<StorePath> missing = new ArrayList<>();
        for (StorePath p : paths) {
            (Files.isRegularFile(dir.resolve(p.hashPart() + ".narinfo")) ? present : missing).add(p);
        }
        return new Presence(present, missing);
    }
}
