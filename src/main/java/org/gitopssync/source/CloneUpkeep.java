package org.gitopssync.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.StreamSupport;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.jboss.logging.Logger;

/**
 * Keeps a long-lived bare clone bounded: one fetch at a time per clone (threads and processes), incoming packs a
 * killed fetch left removed, packs repacked into one past a limit.
 */
final class CloneUpkeep {

    private static final Logger LOG = Logger.getLogger(CloneUpkeep.class);
    private static final ConcurrentMap<Path, ReentrantLock> FETCH_LOCKS = new ConcurrentHashMap<>();

    /** A fetch against the clone. */
    interface Fetch {
        void run() throws GitAPIException, IOException;
    }

    private final Path gitDir;
    private final int packLimit;
    private final Duration staleAfter;

    CloneUpkeep(Path gitDir, int packLimit, Duration staleAfter) {
        this.gitDir = gitDir;
        this.packLimit = packLimit;
        this.staleAfter = staleAfter;
    }

    /**
     * Runs {@code fetch} and the upkeep around it while no other fetch of this clone runs: a repack that ran while
     * another fetch had written its pack but not yet moved its ref would drop that pack's objects.
     */
    void exclusively(Fetch fetch, Git git) throws GitAPIException, IOException {
        ReentrantLock inProcess = FETCH_LOCKS.computeIfAbsent(gitDir.toAbsolutePath().normalize(),
                d -> new ReentrantLock());
        inProcess.lock();
        try (FileChannel channel = FileChannel.open(gitDir.resolve("gitops-fetch.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
            removeStaleIncomingPacks();
            fetch.run();
            repackIfNeeded(git);
        } finally {
            inProcess.unlock();
        }
    }

    /**
     * A fetch writes {@code incoming_*.pack} and renames it when complete; a killed one leaves it
     * behind for good. One untouched for longer than a fetch may stall is no one's any more.
     */
    private void removeStaleIncomingPacks() throws IOException {
        Path packDir = gitDir.resolve("objects/pack");
        if (!Files.isDirectory(packDir)) {
            return;
        }
        Instant staleBefore = Instant.now().minus(staleAfter);
        try (DirectoryStream<Path> incoming = Files.newDirectoryStream(packDir, "incoming_*")) {
            for (Path p : incoming) {
                if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(staleBefore)) {
                    LOG.debugf("removing %s, left by an interrupted fetch", p);
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Every fetch adds a pack; past the limit they are repacked into one, as {@code git gc --auto} would. */
    private void repackIfNeeded(Git git) {
        long packs;
        try (DirectoryStream<Path> all = Files.newDirectoryStream(gitDir.resolve("objects/pack"), "*.pack")) {
            packs = StreamSupport.stream(all.spliterator(), false).count();
        } catch (IOException e) {
            LOG.debugf("cannot count the packs in %s: %s", gitDir, e.getMessage());
            return;
        }
        if (packs <= packLimit) {
            return;
        }
        try {
            // JGit keeps replaced packs for an hour by default: a daemon fetching every few seconds
            // would pile up hundreds. Readers (git, JGit) rescan when a pack they knew is gone.
            git.getRepository().getConfig().setString(ConfigConstants.CONFIG_GC_SECTION, null,
                    ConfigConstants.CONFIG_KEY_PRUNEPACKEXPIRE, "now");
            git.gc().setAggressive(false).setPreserveOldPacks(false).call();
            LOG.debugf("repacked %d packs in %s", packs, gitDir);
        } catch (GitAPIException | RuntimeException e) {
            // the fetch itself succeeded; a failed repack is tried again after the next one
            LOG.warnf("cannot repack %s (%d packs): %s", gitDir, packs, e.getMessage());
        }
    }
}
