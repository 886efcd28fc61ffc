package org.gitopssync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.gitopssync.DirectoryTree;
import org.gitopssync.testing.GitCli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote on this machine is read from its ref files: for every kind of ref a host can follow, the answer is the
 * one the protocol's listing gives for the same repository (real git makes the refs).
 */
class LocalRemoteTest {

    private static final List<String> NAMES = List.of("refs/heads/main", "refs/tags/main", "refs/heads/light",
            "refs/tags/light", "refs/heads/v1", "refs/tags/v1", "refs/heads/both", "refs/tags/both",
            "refs/heads/alias", "refs/heads/missing", "refs/tags/missing");

    @TempDir
    Path tmp;
    Path origin;

    @BeforeEach
    void origin() throws IOException {
        origin = Files.createDirectories(tmp.resolve("origin"));
        git("init", "-q", "-b", "main");
        commit(1);
        git("tag", "light");
        git("tag", "-a", "-m", "release one", "v1");
        git("branch", "both");
        git("tag", "-a", "-m", "both ways", "both");
        git("symbolic-ref", "refs/heads/alias", "refs/heads/main");
        commit(2);
    }

    private String git(String... args) {
        return GitCli.run(origin, args);
    }

    private void commit(int n) throws IOException {
        Files.writeString(origin.resolve("file.txt"), "change " + n + "\n");
        git("add", "file.txt");
        git("commit", "-q", "-m", "change " + n);
    }

    /** Each ref as a follower reads it: its name and the commit it means (an annotated tag peeled). */
    private static Map<String, String> followed(Collection<Ref> refs) {
        Map<String, String> out = new TreeMap<>();
        for (Ref r : refs) {
            if (NAMES.contains(r.getName())) {
                out.put(r.getName(), (r.getPeeledObjectId() != null ? r.getPeeledObjectId() : r.getObjectId()).name());
            }
        }
        return out;
    }

    private Map<String, String> overProtocol(String url) throws GitAPIException {
        return followed(Git.lsRemoteRepository().setRemote(url).setHeads(true).setTags(true).call());
    }

    private Map<String, String> readLocally(String url) throws IOException {
        try (LocalRemote remote = LocalRemote.of(url).orElseThrow()) {
            return followed(remote.refs(NAMES).orElseThrow());
        }
    }

    @Test
    void everyKindOfRefReadsAsTheProtocolListsIt() throws Exception {
        String url = origin.toString();
        Map<String, String> expected = overProtocol(url);
        assertThat(expected).containsKeys("refs/heads/main", "refs/tags/light", "refs/tags/v1", "refs/heads/both",
                "refs/tags/both", "refs/heads/alias");
        assertThat(expected.get("refs/tags/v1")).isEqualTo(git("rev-parse", "v1^{commit}").trim());
        assertThat(expected.get("refs/heads/alias")).isEqualTo(git("rev-parse", "main").trim());

        assertThat(readLocally(url)).isEqualTo(expected);
        assertThat(readLocally(origin.toUri().toString())).isEqualTo(expected);
        assertThat(readLocally(origin.resolve(".git").toString())).isEqualTo(expected);
    }

    @Test
    void refsMovedAndPackedByGitAreReadAgainByTheKeptRemote() throws Exception {
        String url = origin.toString();
        try (LocalRemote remote = LocalRemote.of(url).orElseThrow()) {
            assertThat(followed(remote.refs(NAMES).orElseThrow())).isEqualTo(overProtocol(url));

            commit(3);
            git("tag", "-f", "-a", "-m", "release one, again", "v1");
            git("gc", "-q", "--prune=now");
            Map<String, String> moved = overProtocol(url);
            assertThat(moved.get("refs/tags/v1")).isEqualTo(git("rev-parse", "HEAD").trim());
            assertThat(followed(remote.refs(NAMES).orElseThrow())).isEqualTo(moved);

            git("update-ref", "-d", "refs/heads/both");
            assertThat(followed(remote.refs(NAMES).orElseThrow())).isEqualTo(overProtocol(url))
                    .doesNotContainKey("refs/heads/both");
        }
    }

    @Test
    void refsTheRemoteHidesFromUploadPackAreNotThereForAFollowerEither() throws Exception {
        git("config", "uploadpack.hideRefs", "refs/heads/both");
        git("config", "--add", "uploadpack.hideRefs", "refs/tags/light");
        Map<String, String> expected = overProtocol(origin.toString());
        assertThat(expected).doesNotContainKeys("refs/heads/both", "refs/tags/light").containsKey("refs/tags/both");
        assertThat(readLocally(origin.toString())).isEqualTo(expected);
    }

    @Test
    void aReftableRemoteMovedByAnotherProcessWithoutANewPackIsReadAgain() throws Exception {
        try (Repository converting = new FileRepositoryBuilder().setWorkTree(origin.toFile()).build()) {
            ((FileRepository) converting).convertRefStorage(ConfigConstants.CONFIG_REF_STORAGE_REFTABLE, false, false);
        }
        String url = origin.toString();
        try (LocalRemote remote = LocalRemote.of(url).orElseThrow()) {
            assertThat(followed(remote.refs(NAMES).orElseThrow())).isEqualTo(overProtocol(url));

            // another process commits: loose objects only, the pack directory stays as it was
            String moved;
            try (Repository other = new FileRepositoryBuilder().setWorkTree(origin.toFile()).build();
                    Git otherGit = Git.wrap(other)) {
                moved = otherGit.commit().setAllowEmpty(true).setMessage("change 4").setSign(false).call().name();
            }
            Map<String, String> now = followed(remote.refs(NAMES).orElseThrow());
            assertThat(now.get("refs/heads/main")).isEqualTo(moved);
            assertThat(now).isEqualTo(overProtocol(url));
        }
    }

    @Test
    void aRemoteThatStopsBeingARepositoryIsLeftToTheProtocolToExplain() throws Exception {
        try (LocalRemote remote = LocalRemote.of(origin.toString()).orElseThrow()) {
            assertThat(remote.refs(NAMES)).isPresent();
            DirectoryTree.delete(origin.resolve(".git"));
            assertThat(remote.refs(NAMES)).isEmpty();
        }
    }

    @Test
    void onlyAbsolutePathsOfRepositoriesOnThisMachineAreReadDirectly() throws IOException {
        Path plain = Files.createDirectories(tmp.resolve("not-a-repository"));
        assertThat(LocalRemote.of(plain.toString())).isEmpty();
        assertThat(LocalRemote.of("origin")).isEmpty();
        assertThat(LocalRemote.of("https://example.org/hosts.git")).isEmpty();
        assertThat(LocalRemote.of("ssh://git@example.org/hosts.git")).isEmpty();
        assertThat(LocalRemote.of("git@example.org:hosts.git")).isEmpty();
        assertThat(LocalRemote.of("file://example.org" + origin)).isEmpty();
    }
}
