package org.gitopssync.cache;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gitopssync.Cancellation;

/**
 * Looks for {@code <hash>.narinfo} in a file:// binary cache directory, with one listing of the directory per check
 * rather than one file lookup per path. A narinfo is taken as the cache's word that it has the path, as nix itself
 * takes it when it copies or substitutes; a NAR missing behind its narinfo is a damaged cache, found by
 * {@code nix store verify --store file://...}, not by a push.
 */
final class FileNarinfoProbe implements NarinfoProbe {

    private static final String SUFFIX = ".narinfo";

    private final Path dir;

    FileNarinfoProbe(Path dir) {
        this.dir = dir;
    }

    @Override
    public Presence check(List<StorePath> paths, Cancellation cancellation) {
        return split(paths, listedHashes());
    }

    /** The paths split by one listing. */
    static Presence split(List<StorePath> paths, Set<String> listed) {
        List<StorePath> present = new ArrayList<>();
        List<StorePath> missing = new ArrayList<>();
        for (StorePath p : paths) {
            (listed.contains(p.hashPart()) ? present : missing).add(p);
        }
        return new Presence(present, missing);
    }

    /** The hash parts of the narinfos in the directory; none when it does not exist yet or cannot be read. */
    Set<String> listedHashes() {
        Set<String> hashes = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                hashes.add(name.substring(0, name.length() - SUFFIX.length()));
            }
        } catch (IOException e) {
            // Not there yet, or unreadable: "could not tell", so everything is pushed and nix copy checks again.
            return Set.of();
        }
        return hashes;
    }
}
