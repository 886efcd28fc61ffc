package org.gitopssync.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.config.CacheSettings;
import org.gitopssync.config.ConfigException;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.nix.Nix;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real {@code nix copy} to an HTTP binary cache on 127.0.0.1 that takes PUT uploads. */
class HttpCachePushTest {

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    static List<String> paths;

    private final RecordingCommandRunner runner = new RecordingCommandRunner();
    private HttpBinaryCacheDouble http;

    @BeforeAll
    static void buildPaths() {
        paths = TestStore.build(shared.resolve("build"), 0);
    }

    @BeforeEach
    void start() throws Exception {
        http = new HttpBinaryCacheDouble();
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private CachePublisher publisher(CacheSettings cache) {
        CredentialResolver resolver = new CredentialResolver(Map.of(), (p, f) -> {
            throw new ConfigException("no vault here");
        });
        return new CachePublisher(List.of(cache), new Nix(runner), resolver, tmp.resolve("scratch"),
                host -> List.of(InetAddress.getLoopbackAddress()), new RecordingSleeper(),
                HttpNarinfoProbe.defaultClient(), 2);
    }

    private static PushRequest build(String... outPaths) {
        return new PushRequest("infra/fleet", "main", false, false, List.of(outPaths));
    }

    private static String hashOf(String path) {
        return path.substring("/nix/store/".length(), "/nix/store/".length() + 32);
    }

    @Test
    void uploadsTheClosureByPutAndASecondPushOnlyAsksForTheOutput() throws Exception {
        CachePublisher publisher = publisher(
                TestCaches.cache("web", CacheSettings.Type.NIX_COPY, http.url()).allowPrivateHosts().build());

        PushReport first = publisher.publish(build(paths.get(0)), Cancellation.none());

        assertThat(first.summaryLines()).containsExactly("web: pushed 3, already there 0, failed 0");
        for (String p : paths) {
            assertThat(http.has("/" + hashOf(p) + ".narinfo")).as(p).isTrue();
        }
        assertThat(http.count("PUT", ".narinfo")).isEqualTo(3);
        assertThat(http.text("/" + hashOf(paths.get(0)) + ".narinfo")).contains("References: ");

        http.clearRequests();
        PushReport second = publisher.publish(build(paths.get(0)), Cancellation.none());

        assertThat(second.summaryLines()).containsExactly("web: pushed 0, already there 3, failed 0");
        // The output is there, so its closure is: one request, not one per path.
        assertThat(http.requests()).containsExactly("HEAD /" + hashOf(paths.get(0)) + ".narinfo");
    }

    @Test
    void aCacheMissingPartOfTheClosureGetsOnlyThatPart() {
        CachePublisher publisher = publisher(
                TestCaches.cache("web", CacheSettings.Type.NIX_COPY, http.url()).allowPrivateHosts().build());
        publisher.publish(build(paths.get(1)), Cancellation.none());
        http.clearRequests();

        PushReport report = publisher.publish(build(paths.get(0)), Cancellation.none());

        assertThat(report.summaryLines()).containsExactly("web: pushed 1, already there 2, failed 0");
        assertThat(http.requests()).filteredOn(r -> r.startsWith("PUT") && r.endsWith(".narinfo"))
                .containsExactly("PUT /" + hashOf(paths.get(0)) + ".narinfo");
    }

    @Test
    void nixCanSubstituteFromWhatWasPushedWithAValidSignature() throws Exception {
        Path secret = tmp.resolve("k.sec");
        Files.writeString(secret, TestStore.run("nix", "key", "generate-secret", "--key-name", "http-cache-1"));
        String publicKey = new org.gitopssync.nix.CommandRunner().runChecked(org.gitopssync.nix.Command.of("sh", "-c",
                "nix key convert-secret-to-public < \"$1\"", "sh", secret.toString()).capturingStdout(),
                Cancellation.none()).stdout().strip();
        CachePublisher publisher = publisher(TestCaches.cache("web", CacheSettings.Type.NIX_COPY, http.url())
                .allowPrivateHosts().signingKey(new CredentialSource.File(secret)).build());

        publisher.publish(build(paths.get(0)), Cancellation.none());

        assertThat(TestStore.exitCode("nix", "store", "verify", "--store", http.url(), "--sigs-needed", "1",
                "--trusted-public-keys", publicKey, "--recursive", paths.get(0))).isZero();
    }

    @Test
    void loopbackIsRefusedWithoutTheOptInAndNothingIsSent() {
        CachePublisher publisher = publisher(
                TestCaches.cache("web", CacheSettings.Type.NIX_COPY, http.url()).required().build());

        PushReport report = publisher.publish(build(paths.get(0)), Cancellation.none());

        CacheOutcome web = report.cache("web").orElseThrow();
        assertThat(web.status()).isEqualTo(CacheOutcome.Status.FAILED);
        assertThat(web.reason()).contains("destination refused", "127.0.0.1", "loopback", "allow_private_hosts");
        assertThat(report.requiredFailed()).isTrue();
        assertThat(http.requests()).isEmpty();
        assertThat(runner.commands()).noneMatch(c -> c.contains("copy"));
    }
}
