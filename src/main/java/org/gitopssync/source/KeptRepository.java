package org.gitopssync.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * A repository on this machine (the agent's clone, or a remote that is a local path) opened once and kept between
 * the polls that find the branch unchanged: opening it reads its config and pack indexes again, which costs a no-op
 * cycle more than the question it asks. It is kept only while its pack directory is the one it was opened on: a
 * fetch or repack changes that directory, and the next borrower gets a fresh repository, so the packs a repack
 * deleted are not held open.
 */
final class KeptRepository implements AutoCloseable {

    private final Path gitDir;
    private Repository kept;
    private PackDirectory keptOn;

    /** What identifies the pack directory's content: replaced (a new clone) or changed (a pack added or removed). */
    private record PackDirectory(Object fileKey, FileTime modified) {
    }

    KeptRepository(Path gitDir) {
        this.gitDir = gitDir;
    }

    /** The clone, to be closed by the caller; empty when there is no clone. */
    synchronized Optional<Repository> borrow() throws IOException {
        if (!Files.isDirectory(gitDir.resolve("objects"))) {
            release();
            return Optional.empty();
        }
        Optional<PackDirectory> now = packDirectory();
        if (now.isEmpty()) {
            // nothing to compare with later: a repository of its own, closed by the caller
            release();
            return Optional.of(open());
        }
        if (kept == null || !now.get().equals(keptOn)) {
            release();
            kept = open();
            keptOn = now.get();
        }
        kept.incrementOpen();
        return Optional.of(kept);
    }

    private Optional<PackDirectory> packDirectory() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(gitDir.resolve("objects/pack"), BasicFileAttributes.class);
            return a.fileKey() == null ? Optional.empty()
                    : Optional.of(new PackDirectory(a.fileKey(), a.lastModifiedTime()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private Repository open() throws IOException {
        return new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setFS(FS.DETECTED).setMustExist(true).build();
    }

    /** Lets go of the kept repository; a borrower still using it closes it when done. */
    private void release() {
        if (kept != null) {
            kept.close();
            kept = null;
            keptOn = null;
        }
    }

    @Override
    public synchronized void close() {
        release();
    }
}
