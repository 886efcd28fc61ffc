package org.gitopssync.reconcile;

import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.GitCli;

/** History rewrites an operator might do on the followed branch. */
final class GitRewrite {

    private GitRewrite() {
    }

    /** {@code git commit --amend}: the branch head is replaced by a commit that is not its descendant. */
    static void amend(DemoFlakeRepo repo) {
        GitCli.run(repo.dir(), "add", "-A");
        GitCli.run(repo.dir(), "commit", "-q", "--amend", "-m", "rewritten");
    }
}
