package org.gitopssync.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.gitopssync.Cancellation;
import org.jboss.logging.Logger;

/**
 * Looks for {@code <hash>.narinfo} in a file:// binary cache directory, with one listing of the directory per check
 * rather than one file lookup per path. A narinfo is taken as the cache's word that it has the path, as nix itself
 * takes it when it copies or substitutes; a NAR missing behind its narinfo is a damaged cache, found by
 * {@code nix store verify --store file://...}, not by a push.
 */
final class FileNarinfoProbe implements NarinfoProbe {

    private static final Logger LOG = Logger.getLogger(FileNarinfoProbe.class);
    private static final String SUFFIX = ".narinfo";
    /** Far above any narinfo nix writes (a few hundred bytes plus references); more is a damaged cache. */
    static final int MAX_NARINFO_BYTES = 64 * 1024;
    private static final String REFERENCES = "References:";

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

    /**
     * The hash parts of the closure of {@code roots} as the cache's own narinfos record it (their References), read
     * from the directory instead of asking the local store; empty when a root or a reference has no narinfo in
     * {@code listed} or a narinfo cannot be read, for the caller to ask nix. Only names from the listing are opened.
     */
    Optional<Set<String>> closureHashes(List<StorePath> roots, Set<String> listed, Cancellation cancellation) {
        Set<String> closure = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        for (StorePath root : roots) {
            pending.add(root.hashPart());
        }
        while (!pending.isEmpty()) {
            if (cancellation.isCancelled()) {
                return Optional.empty();
            }
            String hash = pending.poll();
            if (!listed.contains(hash)) {
                return Optional.empty();
            }
            if (!closure.add(hash)) {
                continue;
            }
            Optional<List<String>> references = references(dir.resolve(hash + SUFFIX));
            if (references.isEmpty()) {
                return Optional.empty();
            }
            for (String reference : references.get()) {
                int dash = reference.indexOf('-');
                pending.add(dash < 0 ? reference : reference.substring(0, dash));
            }
        }
        return Optional.of(closure);
    }

    /**
     * The base names on a narinfo's References line; empty when it has none or cannot be read. Only a regular file
     * of at most {@link #MAX_NARINFO_BYTES}, not followed through a symbolic link, is read: a damaged or hostile
     * directory (a link to a FIFO, to {@code /dev/zero} or out of the cache, a huge file) must not hang the push,
     * exhaust memory or be read outside the cache.
     */
    private static Optional<List<String>> references(Path narinfo) {
        byte[] bytes;
        try {
            if (!Files.readAttributes(narinfo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
                LOG.debugf("%s is not a regular file; the local store is asked instead", narinfo);
                return Optional.empty();
            }
            try (InputStream in = Files.newInputStream(narinfo, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes(MAX_NARINFO_BYTES + 1);
            }
        } catch (IOException e) {
            LOG.debugf("cannot read %s (%s); the local store is asked instead", narinfo, e.getMessage());
            return Optional.empty();
        }
        if (bytes.length > MAX_NARINFO_BYTES) {
            LOG.debugf("%s is larger than %d bytes; the local store is asked instead", narinfo, MAX_NARINFO_BYTES);
            return Optional.empty();
        }
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith(REFERENCES)) {
                String names = line.substring(REFERENCES.length()).strip();
                return Optional.of(names.isEmpty() ? List.of() : List.of(names.split(" +")));
            }
        }
        return Optional.empty();
    }
}
