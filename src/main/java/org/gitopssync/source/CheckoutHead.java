package org.gitopssync.source;

import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** The commit a CI checkout is at ({@code HEAD}), for {@code gitops-sync publish} run inside the checkout it built. */
public final class CheckoutHead {

    private CheckoutHead() {
    }

    /** The full commit id {@code rev} names in the repository at or above {@code dir}. */
    public static String resolve(Path dir, String rev) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(dir.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            throw new SourceException(dir.toAbsolutePath() + " is not inside a git checkout; run publish in the"
                    + " checkout that was built, or give --repo DIR or --commit SHA");
        }
        try (Repository repo = builder.setMustExist(true).build()) {
            ObjectId id = repo.resolve(rev + "^{commit}");
            if (id == null) {
                throw new SourceException("commit " + rev + " is not in " + builder.getGitDir());
            }
            return id.getName();
        } catch (IOException | RuntimeException e) {
            if (e instanceof SourceException se) {
                throw se;
            }
            throw new SourceException("cannot read " + rev + " in " + builder.getGitDir() + ": " + e.getMessage(), e);
        }
    }
}
