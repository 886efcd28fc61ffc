package org.gitopssync.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gitopssync.Cancellation;
import org.gitopssync.cache.DestinationGuard;
import org.gitopssync.cache.HostResolver;
import org.gitopssync.config.Credential;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.nix.Nix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing to a directory and to a real HTTP server on 127.0.0.1, with a real store path and real nix keys. */
class ReleaseStoreTest {

    static final String COMMIT = ReleaseRecordTest.COMMIT;

    @TempDir
    Path tmp;

    ReleaseServerDouble server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String storePath() throws IOException {
        Path file = tmp.resolve("system-" + UUID.randomUUID());
        Files.writeString(file, "a system " + UUID.randomUUID());
        return NixKeys.run(null, "nix-store", "--add", file.toString()).strip();
    }

    private ReleasePublisher publisher(ReleaseStore store, NixKeys.KeyPair key) {
        return new ReleasePublisher(new Nix(new CommandRunner()), store, () -> {
            try {
                return ReleaseRecordTest.signer(key);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aFileStoreKeepsOneRecordPerHostAndCommitAndALatestPointer() throws IOException {
        NixKeys.KeyPair key = NixKeys.generate(tmp.resolve("keys"), "builder-1");
        FileReleaseStore store = new FileReleaseStore(tmp.resolve("releases"));
        String system = storePath();

        ReleaseRecord published = publisher(store, key).publish("web-1", COMMIT, system, "builder-1",
                Instant.parse("2026-12-07T10:00:00Z"), Cancellation.none());

        String expectedHash = NixKeys.run(null, "nix", "path-info", "--json", system);
        assertThat(expectedHash).contains("\"narHash\":\"" + published.narHash() + "\"");
        assertThat(published.closureSize()).isPositive();
        assertThat(tmp.resolve("releases/web-1/" + COMMIT + ".json")).exists();
        assertThat(Files.readString(tmp.resolve("releases/web-1/latest"))).isEqualTo(COMMIT + "\n");
        assertThat(store.latest("web-1")).contains(COMMIT);
        assertThat(store.read("db-1", COMMIT)).isEmpty();
        ReleaseRecord read = ReleaseRecord.parse("r", store.read("web-1", COMMIT).orElseThrow());
        new TrustedKeys(List.of(key.publicKey())).verify("r", read);
        assertThat(read.system()).isEqualTo(system);
    }

    @Test
    void aSystemThatIsNotInTheLocalStoreCannotBePublished() {
        NixKeys.KeyPair key = NixKeys.generate(tmp.resolve("keys"), "builder-1");
        FileReleaseStore store = new FileReleaseStore(tmp.resolve("releases"));

        assertThatThrownBy(() -> publisher(store, key).publish("web-1", COMMIT, ReleaseRecordTest.SYSTEM, "builder-1",
                Instant.now(), Cancellation.none()))
                .isInstanceOf(ReleaseException.class)
                .hasMessageStartingWith(ReleaseRecordTest.SYSTEM + " is not in the local Nix store");
        assertThat(tmp.resolve("releases")).doesNotExist();
    }

    @Test
    void anHttpStoreIsReadWithGetAndWrittenWithPutCarryingTheToken() throws IOException {
        NixKeys.KeyPair key = NixKeys.generate(tmp.resolve("keys"), "builder-1");
        server = ReleaseServerDouble.start("s3cret-token");
        HttpReleaseStore store = new HttpReleaseStore(server.url(),
                () -> Optional.of(Credential.of("s3cret-token", "env RELEASES_TOKEN")),
                new DestinationGuard(HostResolver.SYSTEM), true);

        assertThat(store.read("web-1", COMMIT)).isEmpty();
        ReleaseRecord published = publisher(store, key).publish("web-1", COMMIT, storePath(), "builder-1",
                Instant.now(), Cancellation.none());

        assertThat(server.files()).containsEntry("web-1/latest", COMMIT + "\n")
                .containsEntry("web-1/" + COMMIT + ".json", published.toJson());
        assertThat(store.read("web-1", COMMIT)).contains(published.toJson());
        assertThat(store.latest("web-1")).contains(COMMIT);
        assertThat(server.requests()).contains("PUT web-1/" + COMMIT + ".json Bearer s3cret-token",
                "GET web-1/" + COMMIT + ".json none");
    }

    @Test
    void aWrongTokenIsReportedWithoutTheToken() throws IOException {
        NixKeys.KeyPair key = NixKeys.generate(tmp.resolve("keys"), "builder-1");
        server = ReleaseServerDouble.start("right");
        HttpReleaseStore store = new HttpReleaseStore(server.url(),
                () -> Optional.of(Credential.of("wrong-token", "env RELEASES_TOKEN")),
                new DestinationGuard(HostResolver.SYSTEM), true);
        String system = storePath();

        assertThatThrownBy(() -> publisher(store, key).publish("web-1", COMMIT, system, "builder-1", Instant.now(),
                Cancellation.none()))
                .isInstanceOf(ReleaseException.class)
                .hasMessageContaining("answered HTTP 401 (check fleet.releases_credentials)")
                .hasMessageNotContaining("wrong-token");
        assertThat(server.files()).isEmpty();
    }

    @Test
    void theDestinationGuardRefusesALoopbackStoreUnlessPrivateHostsAreAllowed() {
        server = ReleaseServerDouble.start("t");
        HttpReleaseStore store = new HttpReleaseStore(server.url(), Optional::empty,
                new DestinationGuard(HostResolver.SYSTEM), false);

        assertThatThrownBy(() -> store.read("web-1", COMMIT))
                .hasMessageContaining("fleet.releases: destination refused: host 127.0.0.1 resolves to 127.0.0.1 (loopback)");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anOversizedAnswerIsRefusedWithoutReadingItAll() {
        server = ReleaseServerDouble.start("t");
        server.put("web-1/" + COMMIT + ".json", "x".repeat(HttpReleaseStore.MAX_BODY * 4));
        HttpReleaseStore store = new HttpReleaseStore(server.url(), Optional::empty,
                new DestinationGuard(HostResolver.SYSTEM), true);

        assertThatThrownBy(() -> store.read("web-1", COMMIT)).isInstanceOf(ReleaseException.class)
                .hasMessageEndingWith("the release store answered more than 64 KiB, which is no release record");
    }
}
