package org.gitopssync.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gitopssync.Cancellation;
import org.gitopssync.config.CacheSettings;
import org.gitopssync.config.ConfigException;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.nix.Nix;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real {@code nix copy} to file:// caches: closures, dedupe, signatures, failures. */
class NixCopyPushTest {

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    static List<String> paths;

    private final RecordingCommandRunner runner = new RecordingCommandRunner();
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeAll
    static void buildPaths() {
        paths = TestStore.build(shared.resolve("build"), 0);
    }

    private String top() {
        return paths.get(0);
    }

    private CachePublisher publisher(Map<String, String> env, CacheSettings... caches) {
        CredentialResolver resolver = new CredentialResolver(env, (p, f) -> {
            throw new ConfigException("no vault here");
        });
        return new CachePublisher(List.of(caches), new Nix(runner), resolver, tmp.resolve("scratch"),
                host -> {
                    throw new AssertionError("no DNS lookups expected, asked for " + host);
                }, sleeper, HttpNarinfoProbe.defaultClient(), 2);
    }

    private static PushRequest mainBuild(String... outPaths) {
        return new PushRequest("infra/fleet", "main", false, false, List.of(outPaths));
    }

    private List<List<String>> nixCopies() {
        return runner.commands().stream().filter(c -> c.size() > 1 && c.get(0).equals("nix") && c.get(1).equals("copy"))
                .toList();
    }

    @Test
    void pushesTheWholeClosureToAFileCacheAndNixCanReadIt() {
        Path cache = tmp.resolve("cache");
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("main", CacheSettings.Type.NIX_COPY, "file://" + cache).build());

        PushReport report = publisher.publish(mainBuild(top()), Cancellation.none());

        assertThat(report.summaryLines()).containsExactly("main: pushed 3, already there 0, failed 0");
        assertThat(report.requiredFailed()).isFalse();
        assertThat(TestStore.run("nix", "path-info", "--store", "file://" + cache, "--recursive", top()).lines())
                .containsExactlyInAnyOrderElementsOf(paths);
    }

    @Test
    void aSecondPushOfTheSamePathsUploadsNothingAndRunsNoNixCopy() {
        Path cache = tmp.resolve("cache");
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("main", CacheSettings.Type.NIX_COPY, "file://" + cache).build());
        publisher.publish(mainBuild(top()), Cancellation.none());
        runner.clear();

        PushReport again = publisher.publish(mainBuild(top()), Cancellation.none());

        assertThat(again.summaryLines()).containsExactly("main: pushed 0, already there 3, failed 0");
        assertThat(nixCopies()).isEmpty();
        // the closure is counted from the directory's narinfos: no nix process at all
        assertThat(runner.commands()).isEmpty();
    }

    @Test
    void aDirectoryWhoseNarinfosDoNotCoverTheClosureIsCountedFromTheLocalStore() throws IOException {
        Path cache = tmp.resolve("cache");
        TestStore.run("nix", "copy", "--to", "file://" + cache, top());
        String middleHash = Path.of(paths.get(1)).getFileName().toString().substring(0, 32);
        Files.delete(cache.resolve(middleHash + ".narinfo"));
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("main", CacheSettings.Type.NIX_COPY, "file://" + cache).build());

        PushReport report = publisher.publish(mainBuild(top()), Cancellation.none());

        assertThat(report.summaryLines()).containsExactly("main: pushed 0, already there 3, failed 0");
        assertThat(runner.ran("nix-store")).isTrue();
    }

    @Test
    void aNarinfoLinkedToAFifoIsNotOpenedAndTheClosureIsCountedFromTheLocalStore() throws Exception {
        Path cache = tmp.resolve("cache");
        TestStore.run("nix", "copy", "--to", "file://" + cache, top());
        Path fifo = tmp.resolve("fifo");
        TestStore.run("mkfifo", fifo.toString());
        Path middle = cache.resolve(Path.of(paths.get(1)).getFileName().toString().substring(0, 32) + ".narinfo");
        Files.delete(middle);
        Files.createSymbolicLink(middle, fifo);
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("main", CacheSettings.Type.NIX_COPY, "file://" + cache).build());

        CompletableFuture<PushReport> push = CompletableFuture.supplyAsync(
                () -> publisher.publish(mainBuild(top()), Cancellation.none()));
        try {
            // bounded: a reader blocked on the FIFO would never return
            PushReport report = push.get(2, TimeUnit.MINUTES);
            assertThat(report.summaryLines()).containsExactly("main: pushed 0, already there 3, failed 0");
            assertThat(runner.ran("nix-store")).isTrue();
        } finally {
            if (!push.isDone()) {
                // release the blocked reader so the test run can go on
                try (OutputStream writer = Files.newOutputStream(fifo)) {
                    writer.flush();
                }
            }
        }
    }

    @Test
    void anOversizedNarinfoIsNotReadAndTheClosureIsCountedFromTheLocalStore() throws IOException {
        Path cache = tmp.resolve("cache");
        TestStore.run("nix", "copy", "--to", "file://" + cache, top());
        Path narinfo = cache.resolve(Path.of(top()).getFileName().toString().substring(0, 32) + ".narinfo");
        String padding = "x".repeat(FileNarinfoProbe.MAX_NARINFO_BYTES);
        Files.writeString(narinfo, "Padding: " + padding + "\n" + Files.readString(narinfo));
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("main", CacheSettings.Type.NIX_COPY, "file://" + cache).build());

        PushReport report = publisher.publish(mainBuild(top()), Cancellation.none());

        assertThat(report.summaryLines()).containsExactly("main: pushed 0, already there 3, failed 0");
        assertThat(runner.ran("nix-store")).isTrue();
    }

    @Test
    void aNarinfoLinkedOutOfTheCacheIsNotFollowed() throws IOException {
        Path cache = tmp.resolve("cache");
        TestStore.run("nix", "copy", "--to", "file://" + cache, top());
        Path narinfo = cache.resolve(Path.of(top()).getFileName().toString().substring(0, 32) + ".narinfo");
        Path outside = tmp.resolve("outside.narinfo");
        Files.move(narinfo, outside);
        Files.createSymbolicLink(narinfo, outside);
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("main", CacheSettings.Type.NIX_COPY, "file://" + cache).build());

        PushReport report = publisher.publish(mainBuild(top()), Cancellation.none());

        assertThat(report.summaryLines()).containsExactly("main: pushed 0, already there 3, failed 0");
        assertThat(runner.ran("nix-store")).isTrue();
    }

    @Test
    void handsOneNixCopyOnlyTheOutputsTheDirectoryLacksAndCountsTheClosure() {
        Path cache = tmp.resolve("cache");
        String base = paths.get(2);
        TestStore.run("nix", "copy", "--to", "file://" + cache, base);
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("main", CacheSettings.Type.NIX_COPY, "file://" + cache).build());

        PushReport report = publisher.publish(mainBuild(top()), Cancellation.none());

        assertThat(report.summaryLines()).containsExactly("main: pushed 2, already there 1, failed 0");
        assertThat(nixCopies()).hasSize(1);
        // one nix process: the closure is counted from the directory's narinfos, not by asking the local store
        assertThat(runner.commands()).hasSize(1);
        List<String> copy = nixCopies().get(0);
        // nix fills in the missing dependency (the middle path) from the directory's own narinfos
        assertThat(copy).contains("--to", "file://" + cache).doesNotContain("--no-recursive");
        assertThat(copy.subList(copy.indexOf("--") + 1, copy.size())).containsExactly(top());
        assertThat(TestStore.run("nix", "path-info", "--store", "file://" + cache, "--recursive", top()).lines())
                .containsExactlyInAnyOrderElementsOf(paths);
    }

    @Test
    void ofManyOutputsOnlyThoseMissingFromTheListingAreCopied() {
        Path cache = tmp.resolve("cache");
        List<String> leaves = TestStore.build(tmp.resolve("leaves"), 5).subList(3, 8);
        TestStore.run("nix", "copy", "--to", "file://" + cache, leaves.get(0), leaves.get(2), leaves.get(4));
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("main", CacheSettings.Type.NIX_COPY, "file://" + cache).build());

        PushReport report = publisher.publish(mainBuild(leaves.toArray(String[]::new)), Cancellation.none());

        assertThat(report.summaryLines()).containsExactly("main: pushed 2, already there 3, failed 0");
        List<String> copy = nixCopies().get(0);
        assertThat(copy.subList(copy.indexOf("--") + 1, copy.size())).containsExactly(leaves.get(1), leaves.get(3));
    }

    @Test
    void signsWithAKeyFileAndTheCacheCarriesTheSignature() throws IOException {
        Path secret = tmp.resolve("cache-key.sec");
        Files.writeString(secret, TestStore.run("nix", "key", "generate-secret", "--key-name", "test-cache-1"));
        String publicKey = publicKeyOf(secret);
        Path cache = tmp.resolve("cache");
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("main", CacheSettings.Type.NIX_COPY, "file://" + cache)
                        .signingKey(new CredentialSource.File(secret)).build());

        PushReport report = publisher.publish(mainBuild(top()), Cancellation.none());

        assertThat(report.anyFailed()).isFalse();
        assertThat(TestStore.exitCode("nix", "store", "verify", "--store", "file://" + cache, "--sigs-needed", "1",
                "--trusted-public-keys", publicKey, "--recursive", top())).isZero();
        assertThat(TestStore.run("nix", "path-info", "--store", "file://" + cache, "--sigs", top()))
                .contains("test-cache-1:");
        Path other = tmp.resolve("other.sec");
        Files.writeString(other, TestStore.run("nix", "key", "generate-secret", "--key-name", "other-1"));
        assertThat(TestStore.exitCode("nix", "store", "verify", "--store", "file://" + cache, "--sigs-needed", "1",
                "--trusted-public-keys", publicKeyOf(other), "--recursive", top())).isNotZero();
    }

    @Test
    void aSigningKeyFromTheEnvironmentIsWrittenPrivatelyAndRemoved() throws IOException {
        String secret = TestStore.run("nix", "key", "generate-secret", "--key-name", "env-key-1");
        Path cache = tmp.resolve("cache");
        CachePublisher publisher = publisher(Map.of("CACHE_SIGNING_KEY", secret),
                TestCaches.cache("main", CacheSettings.Type.NIX_COPY, "file://" + cache)
                        .signingKey(new CredentialSource.Env(List.of("CACHE_SIGNING_KEY"))).build());

        PushReport report = publisher.publish(mainBuild(top()), Cancellation.none());

        assertThat(report.anyFailed()).isFalse();
        List<String> sign = runner.commands().stream().filter(c -> c.contains("sign")).findFirst().orElseThrow();
        String keyFile = sign.get(sign.indexOf("--key-file") + 1);
        assertThat(keyFile).startsWith(tmp.resolve("scratch").toString());
        assertThat(Path.of(keyFile)).doesNotExist();
        assertThat(String.join(" ", sign)).doesNotContain(secret.strip());
        try (Stream<Path> left = Files.list(tmp.resolve("scratch"))) {
            assertThat(left).isEmpty();
        }
        Path pub = tmp.resolve("env.sec");
        Files.writeString(pub, secret);
        assertThat(TestStore.exitCode("nix", "store", "verify", "--store", "file://" + cache, "--sigs-needed", "1",
                "--trusted-public-keys", publicKeyOf(pub), "--recursive", top())).isZero();
    }

    @Test
    void aRequiredCacheThatFailsFailsTheCycleAndTheOthersStillGetTheirPaths() throws IOException {
        Path blocker = tmp.resolve("not-a-directory");
        Files.writeString(blocker, "a file where the cache directory would go");
        Path good = tmp.resolve("good");
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("broken", CacheSettings.Type.NIX_COPY, "file://" + blocker + "/cache")
                        .required().retries(0).build(),
                TestCaches.cache("good", CacheSettings.Type.NIX_COPY, "file://" + good).build());

        PushReport report = publisher.publish(mainBuild(top()), Cancellation.none());

        assertThat(report.requiredFailed()).isTrue();
        CacheOutcome broken = report.cache("broken").orElseThrow();
        assertThat(broken.status()).isEqualTo(CacheOutcome.Status.FAILED);
        assertThat(broken.failed()).isEqualTo(3);
        assertThat(broken.summaryLine()).startsWith("broken: pushed 0, already there 0, failed 3 (required): nix ");
        assertThat(report.cache("good").orElseThrow().summaryLine()).isEqualTo("good: pushed 3, already there 0, failed 0");
    }

    @Test
    void aFailingCacheThatIsNotRequiredIsReportedButDoesNotFailTheCycle() throws IOException {
        Path blocker = tmp.resolve("not-a-directory");
        Files.writeString(blocker, "x");
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("optional", CacheSettings.Type.NIX_COPY, "file://" + blocker + "/cache")
                        .retries(0).build());

        PushReport report = publisher.publish(mainBuild(top()), Cancellation.none());

        assertThat(report.anyFailed()).isTrue();
        assertThat(report.requiredFailed()).isFalse();
        assertThat(report.description()).isEqualTo("pushed 0 paths to 0/1 caches, 1 failed");
    }

    @Test
    void writesEachCachesCommandsToItsOwnLogFile() {
        Path cache = tmp.resolve("cache");
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("main", CacheSettings.Type.NIX_COPY, "file://" + cache).build());

        publisher.publish(mainBuild(top()).withLogDir(tmp.resolve("logs")), Cancellation.none());

        assertThat(tmp.resolve("logs/cache-main.log")).content().contains("$ nix copy").contains(top());
    }

    private String publicKeyOf(Path secret) throws IOException {
        return new org.gitopssync.nix.CommandRunner().runChecked(
                org.gitopssync.nix.Command.of("sh", "-c", "nix key convert-secret-to-public < \"$1\"", "sh",
                        secret.toString()).capturingStdout(), Cancellation.none()).stdout().strip();
    }
}
