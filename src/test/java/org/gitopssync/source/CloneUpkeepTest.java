package org.gitopssync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gitopssync.DirectoryTree;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.config.RepositorySettings;
import org.gitopssync.config.SignatureSettings;
import org.gitopssync.testing.GitCli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon fetches forever: the clone's packs, scratch files and open descriptors must stay bounded. */
class CloneUpkeepTest {

    @TempDir
    Path tmp;
    Path origin;
    Path stateDir;

    @BeforeEach
    void origin() throws IOException {
        origin = Files.createDirectories(tmp.resolve("origin"));
        stateDir = Files.createDirectories(tmp.resolve("state"));
        GitCli.run(origin, "init", "-q");
        commit(0);
    }

    private void commit(int n) throws IOException {
        Files.writeString(origin.resolve("file.txt"), "change " + n + "\n");
        GitCli.run(origin, "add", "file.txt");
        GitCli.run(origin, "commit", "-q", "-m", "change " + n);
    }

    private GitSource source(int packLimit) {
        RepositorySettings settings = new RepositorySettings(origin.toUri().toString(), "main", Duration.ofMinutes(5),
                Duration.ZERO, CredentialSource.none(), "git", new RepositorySettings.SshSettings(CredentialSource.none(),
                        null, null), false, Duration.ofSeconds(30), SignatureSettings.none());
        return new GitSource(settings, new CredentialResolver(Map.of(), null), stateDir, packLimit);
    }

    private long packs(GitSource source) throws IOException {
        try (Stream<Path> files = Files.list(source.gitDir().resolve("objects/pack"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".pack")).count();
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void manyFetchesKeepThePackCountBounded() throws IOException {
        try (GitSource source = source(5)) {
            source.fetch();
            long most = 0;
            for (int i = 1; i <= 14; i++) {
                commit(i);
                String head = source.fetch().sha();
                assertThat(source.hasCommit(head)).isTrue();
                most = Math.max(most, packs(source));
            }
            assertThat(most).as("packs in the clone never pass the limit by more than the fetch that crossed it")
                    .isLessThanOrEqualTo(6);
            assertThat(source.readFile(source.fetch().sha(), "file.txt")).hasValueSatisfying(
                    bytes -> assertThat(new String(bytes)).isEqualTo("change 14\n"));
        }
    }

    @Test
    void aStaleIncomingPackOfAKilledFetchIsRemoved() throws IOException {
        try (GitSource source = source(GitSource.PACK_LIMIT)) {
            source.fetch();
            Path packDir = source.gitDir().resolve("objects/pack");
            Path stale = Files.write(packDir.resolve("incoming_1234567890.pack"), new byte[4096]);
            Path staleIndex = Files.write(packDir.resolve("incoming_1234567890.idx"), new byte[64]);
            FileTime anHourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
            Files.setLastModifiedTime(stale, anHourAgo);
            Files.setLastModifiedTime(staleIndex, anHourAgo);
            Path fresh = Files.write(packDir.resolve("incoming_555.pack"), new byte[16]);

            commit(1);
            source.fetch();

            assertThat(stale).doesNotExist();
            assertThat(staleIndex).doesNotExist();
            assertThat(fresh).as("a fetch still writing (another process) is left alone").exists();
        }
    }

    @Test
    void openDescriptorsDoNotGrowAcrossFetchCycles() throws IOException {
        try (GitSource source = source(GitSource.PACK_LIMIT)) {
            // warm up: the first cycles load classes and open what stays open for the life of the process
            for (int i = 1; i <= 3; i++) {
                commit(i);
                cycle(source);
            }
            long before = openDescriptors();
            for (int i = 4; i <= 40; i++) {
                commit(i);
                cycle(source);
            }
            long after = openDescriptors();
            assertThat(after - before).as("descriptors opened across 37 fetch cycles (%d -> %d)", before, after)
                    .isLessThanOrEqualTo(5);
        }
    }

    /** What a cycle asks of the source: the remote head, a fetch, ancestry, a file, a pin. */
    private static void cycle(GitSource source) {
        String head = source.remoteHead().orElseThrow();
        FetchedCommit fetched = source.fetch();
        assertThat(fetched.sha()).isEqualTo(head);
        assertThat(source.descendsFrom(head, head)).isTrue();
        assertThat(source.readFile(head, "file.txt")).isPresent();
        source.pin(GitSource.DEPLOYED_REF, head);
        assertThat(List.of(source.resolve(head).sha())).containsExactly(head);
    }

    /**
     * The clone stays open between the polls that find the branch unchanged; a repack must still free the disk its
     * old packs took, so nothing keeps a deleted pack open.
     */
    @Test
    void aRepackedPackIsNotHeldOpenByTheCheckOfAnUnchangedBranch() throws IOException {
        try (GitSource source = source(3)) {
            String first = source.fetch().sha();
            assertThat(source.hasCommit(first)).isTrue();
            for (int i = 1; i <= 8; i++) {
                commit(i);
                source.fetch();
                // the question every unchanged poll asks, about a commit whose pack the repack replaced
                assertThat(source.hasCommit(first)).isTrue();
            }
            assertThat(deletedPacksOpen(source)).as("descriptors of deleted packs of the clone").isEmpty();
        }
    }

    private static List<String> deletedPacksOpen(GitSource source) throws IOException {
        String packDir = source.gitDir().resolve("objects/pack").toString();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return "";
                }
            }).filter(target -> target.startsWith(packDir) && target.endsWith("(deleted)")).toList();
        }
    }

    /** A clone removed by hand (or lost with the disk) is cloned again by the next fetch, not reported missing for ever. */
    @Test
    void aRemovedCloneHoldsNoCommitAndTheNextFetchClonesItAgain() throws IOException {
        try (GitSource source = source(GitSource.PACK_LIMIT)) {
            String head = source.fetch().sha();
            assertThat(source.hasCommit(head)).isTrue();

            DirectoryTree.delete(source.gitDir());

            assertThat(source.hasCommit(head)).isFalse();
            assertThat(source.fetch().sha()).isEqualTo(head);
            assertThat(source.hasCommit(head)).isTrue();
        }
    }

    /** JGit's auto-gc after a fetch runs on a background thread that raced the clone's rename (an ERROR at startup). */
    @Test
    void fetchesNeverLeaveJGitsBackgroundGcRunning() throws IOException {
        try (GitSource source = source(5)) {
            source.fetch();
            assertThat(stateDir.resolve("repo.git.partial")).doesNotExist();
            assertThat(autoGc(source)).isEqualTo("auto=0 autoDetach=false");

            // a clone made by an earlier version (JGit's defaults) is corrected by its next fetch
            GitCli.run(source.gitDir(), "config", "--unset", "gc.auto");
            GitCli.run(source.gitDir(), "config", "gc.autoDetach", "true");
            commit(1);
            source.fetch();
            assertThat(autoGc(source)).isEqualTo("auto=0 autoDetach=false");
        }
    }

    private static String autoGc(GitSource source) throws IOException {
        String config = Files.readString(source.gitDir().resolve("config"));
        String auto = config.lines().map(String::strip).filter(l -> l.startsWith("auto ="))
                .findFirst().orElse("auto unset");
        String detach = config.lines().map(String::strip).filter(l -> l.startsWith("autoDetach ="))
                .findFirst().orElse("autoDetach unset");
        return (auto + " " + detach).replace(" = ", "=");
    }
}
