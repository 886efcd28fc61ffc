package org.gitopssync.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.gitopssync.DirectoryTree;
import org.gitopssync.state.ProcessOwner;

/**
 * A directory only the agent's user can enter (0700) for the secret files one push needs (tool
 * configs, token and key files, all 0600); removed with everything in it when closed. Its name
 * starts with the owning process, so what a killed process left is found and removed.
 */
final class PrivateScratch implements AutoCloseable {

    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;

    private PrivateScratch(Path dir) {
        this.dir = dir;
    }

    static PrivateScratch create(Path root, String prefix) {
        try {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(DIR_MODE));
            Path dir = Files.createTempDirectory(root, ProcessOwner.current() + "-" + prefix,
                    PosixFilePermissions.asFileAttribute(DIR_MODE));
            // The umask can only take bits away; set the mode explicitly anyway.
            Files.setPosixFilePermissions(dir, DIR_MODE);
            return new PrivateScratch(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a private directory under " + root, e);
        }
    }

    /**
     * Removes the scratch directories under {@code root} whose process no longer runs (and any not
     * named after a process); returns how many. Those of live processes may be in use.
     */
    static int removeLeftovers(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> dead;
        try (Stream<Path> entries = Files.list(root)) {
            dead = entries.filter(p -> {
                String name = p.getFileName().toString();
                int dash = name.indexOf('-');
                return !ProcessOwner.parse(dash < 0 ? name : name.substring(0, dash)).map(ProcessOwner::isAlive)
                        .orElse(false);
            }).toList();
        }
        for (Path p : dead) {
            DirectoryTree.delete(p);
        }
        return dead.size();
    }

    Path dir() {
        return dir;
    }

    /** A 0700 directory below the scratch directory (every level created is 0700 too). */
    Path directory(String relative) {
        Path d = dir.resolve(relative).normalize();
        if (!d.startsWith(dir) || d.equals(dir)) {
            throw new IllegalArgumentException("not below the scratch directory: " + relative);
        }
        try {
            Files.createDirectories(d, PosixFilePermissions.asFileAttribute(DIR_MODE));
            for (Path p = d; !p.equals(dir); p = p.getParent()) {
                Files.setPosixFilePermissions(p, DIR_MODE);
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes (or replaces) a 0600 file; the content is created under that mode, never wider. */
    Path writeSecret(String relative, byte[] content) {
        try {
            Path f = dir.resolve(relative).normalize();
            if (!f.startsWith(dir) || f.equals(dir)) {
                throw new IllegalArgumentException("not below the scratch directory: " + relative);
            }
            if (f.getParent() != null && !f.getParent().equals(dir)) {
                directory(dir.relativize(f.getParent()).toString());
            }
            Files.deleteIfExists(f);
            Files.createFile(f, PosixFilePermissions.asFileAttribute(FILE_MODE));
            Files.setPosixFilePermissions(f, FILE_MODE);
            Files.write(f, content);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            DirectoryTree.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
