package org.gitopssync.secrets.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gitopssync.DirectoryTree;
import org.gitopssync.secrets.SecretsException;
import org.jboss.logging.Logger;

/**
 * The secrets root: numbered generation directories and the {@code current} symlink that makes one of them
 * live. Switching re-points {@code current} atomically (a temporary link renamed over it) and updates the
 * {@code path} links, which point through {@code current}.
 */
final class SecretsSwitch {

    private static final Logger LOG = Logger.getLogger(SecretsSwitch.class);
    static final String CURRENT = "current";

    private static final String PARTIAL = ".partial";

    private final Path root;
    private final SecretsLedger ledger;

    SecretsSwitch(Path root, SecretsLedger ledger) {
        this.root = root;
        this.ledger = ledger;
    }

    Path root() {
        return root;
    }

    Path currentLink() {
        return root.resolve(CURRENT);
    }

    Path directory(int generation) {
        return root.resolve(Integer.toString(generation));
    }

    /** Where a generation is written; it gets its number only once complete, so a killed writer leaves no generation. */
    Path partial(int generation) {
        return root.resolve("." + generation + PARTIAL);
    }

    /** Renames a completely written generation to its number, in one step. */
    void complete(int generation) {
        try {
            Files.move(partial(generation), directory(generation), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SecretsException("cannot complete generation " + generation + " in " + root + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Removes what a killed cycle left: partly written generations, and complete ones newer than the live one
     * (written but never switched to). Called at the start of a cycle, under the cycle lock. Returns what went.
     */
    List<String> removeLeftovers() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.matches("\\.[0-9]+\\" + PARTIAL) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    DirectoryTree.delete(p);
                    removed.add(name);
                }
            }
        } catch (IOException e) {
            throw new SecretsException("cannot clean up " + root + ": " + e.getMessage(), e);
        }
        Optional<Integer> live = current();
        if (live.isPresent()) {
            for (int g : generations()) {
                if (g > live.get()) {
                    delete(g);
                    removed.add(Integer.toString(g));
                }
            }
        }
        return removed;
    }

    /**
     * What identifies the live generation: the manifest hash it was written for (or its number, for a
     * generation written before fingerprints); empty when no generation is live on disk.
     */
    Optional<String> liveFingerprint() {
        Optional<Integer> live = current();
        if (live.isEmpty() || !Files.isDirectory(directory(live.get()))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(directory(live.get()).resolve(SecretName.FINGERPRINT_FILE),
                    StandardCharsets.UTF_8).strip());
        } catch (NoSuchFileException e) {
            return Optional.of("generation " + live.get());
        } catch (IOException e) {
            throw new SecretsException("cannot read the fingerprint of generation " + live.get() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The live generation, or empty before the first switch. */
    Optional<Integer> current() {
        Path link = currentLink();
        if (!Files.isSymbolicLink(link)) {
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                throw new SecretsException(link + " exists but is not a symlink; move it away");
            }
            return Optional.empty();
        }
        try {
            String target = Files.readSymbolicLink(link).getFileName().toString();
            return Optional.of(Integer.parseInt(target));
        } catch (IOException | NumberFormatException e) {
            throw new SecretsException(link + " does not point to a numbered generation", e);
        }
    }

    /** Every numbered generation directory, oldest first. */
    List<Integer> generations() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path p : dirs) {
                String name = p.getFileName().toString();
                if (name.matches("[1-9][0-9]{0,8}") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            throw new SecretsException("cannot list " + root + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** The number a new generation gets: one past every existing one (leftovers of a crash included). */
    int next() {
        int max = current().orElse(0);
        for (int g : generations()) {
            max = Math.max(max, g);
        }
        return max + 1;
    }

    /** Makes {@code generation} live, then brings the {@code path} links in line with it. */
    void switchTo(int generation) {
        Map<Path, String> before = current().map(this::links).orElse(Map.of());
        replaceLink(currentLink(), Path.of(Integer.toString(generation)));
        Map<Path, String> after = links(generation);
        updateLinks(before, after);
        LOG.debugf("secrets: %s -> %d", currentLink(), generation);
    }

    /**
     * Makes the live generation's {@code path} links point where they should: a process killed between
     * repointing {@code current} and updating the links leaves some missing, and the next cycle finds the
     * generation already live. Idempotent.
     */
    void restoreLinks(int generation) {
        updateLinks(Map.of(), links(generation));
    }

    /** Removes the {@code current} link (and its {@code path} links): no generation is live. */
    void clear() {
        Map<Path, String> before = current().map(this::links).orElse(Map.of());
        try {
            Files.deleteIfExists(currentLink());
        } catch (IOException e) {
            throw new SecretsException("cannot remove " + currentLink() + ": " + e.getMessage(), e);
        }
        updateLinks(before, Map.of());
    }

    /** Deletes a generation directory and everything in it. */
    void delete(int generation) {
        Path dir = directory(generation);
        try {
            DirectoryTree.delete(dir);
        } catch (IOException e) {
            throw new SecretsException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Keeps the live generation and the {@code keep} newest older ones; deletes the rest. Returns what went. */
    List<Integer> prune(int keep) {
        Optional<Integer> live = current();
        List<Integer> older = new ArrayList<>();
        List<Integer> deleted = new ArrayList<>();
        for (int g : generations()) {
            if (live.isPresent() && g < live.get()) {
                older.add(g);
            } else if (live.isEmpty() || g != live.get()) {
                // newer than the live one: left behind by a crash or a failed cycle
                delete(g);
                deleted.add(g);
            }
        }
        for (int i = 0; i < older.size() - keep; i++) {
            delete(older.get(i));
            deleted.add(older.get(i));
        }
        return deleted;
    }

    /** The links a generation declares: link path to the file's path inside the generation. */
    Map<Path, String> links(int generation) {
        Path file = directory(generation).resolve(SecretName.LINKS_FILE);
        Map<Path, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    out.put(Path.of(line.substring(0, tab)), line.substring(tab + 1));
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new SecretsException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Where a {@code path} link points: through {@code current}, so switching moves every link at once. */
    Path linkTarget(String relative) {
        return currentLink().resolve(relative);
    }

    private void updateLinks(Map<Path, String> before, Map<Path, String> after) {
        for (Map.Entry<Path, String> e : after.entrySet()) {
            Path target = linkTarget(e.getValue());
            try {
                if (!(Files.isSymbolicLink(e.getKey()) && Files.readSymbolicLink(e.getKey()).equals(target))) {
                    Files.createDirectories(e.getKey().getParent());
                    ledger.own(e.getKey());
                    replaceLink(e.getKey(), target);
                }
            } catch (IOException ex) {
                throw new SecretsException("cannot link " + e.getKey() + " to " + target + ": " + ex.getMessage(), ex);
            }
        }
        for (Path stale : before.keySet()) {
            if (!after.containsKey(stale)) {
                try {
                    // a link someone else re-pointed since is theirs now: left alone
                    if (pointsIntoRoot(stale)) {
                        Files.deleteIfExists(stale);
                    }
                    ledger.disown(stale);
                } catch (IOException ex) {
                    LOG.warnf("secrets: cannot remove the stale link %s: %s", stale, ex.getMessage());
                }
            }
        }
    }

    private boolean pointsIntoRoot(Path link) {
        try {
            return Files.isSymbolicLink(link) && Files.readSymbolicLink(link).startsWith(currentLink());
        } catch (IOException e) {
            return false;
        }
    }

    /** A temporary link renamed over the old one: readers see the old target or the new one, never nothing. */
    private static void replaceLink(Path link, Path target) {
        Path temp = link.resolveSibling("." + link.getFileName() + ".gitops-tmp");
        try {
            Files.deleteIfExists(temp);
            Files.createSymbolicLink(temp, target);
            Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // nothing more to clean up
            }
            throw new SecretsException("cannot point " + link + " at " + target + ": " + e.getMessage(), e);
        }
    }
}
