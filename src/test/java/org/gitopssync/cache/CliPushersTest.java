package org.gitopssync.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gitopssync.Cancellation;
import org.gitopssync.config.CacheSettings;
import org.gitopssync.config.Credential;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.nix.Nix;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cachix, attic and niks3 through doubles on PATH: exact arguments, environment, private files, retries. */
class CliPushersTest {

    private static final String TOKEN = "tok-9f8e7d6c5b4a-secret";
    private static final String SIGNING = "cache-1:c2lnbmluZy1rZXktc2VjcmV0LXZhbHVl";
    private static final String OUT = "/nix/store/0c9bzdhsl8wd1v8bacvbaak5xvwam2ym-hello-2.12";
    private static final String OUT2 = "/nix/store/1d9bzdhsl8wd1v8bacvbaak5xvwam2ym-world-1.0";

    @TempDir
    Path tmp;

    private CliDoubles doubles;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void setUp() {
        doubles = new CliDoubles(tmp.resolve("doubles"));
    }

    private CachePublisher publisher(Map<String, String> env, CacheSettings cache) {
        CredentialResolver resolver = new CredentialResolver(env,
                (path, field) -> Credential.of(TOKEN, "vault " + path + "#" + field));
        return new CachePublisher(List.of(cache), new Nix(doubles.runner()), resolver, tmp.resolve("scratch"),
                host -> List.of(java.net.InetAddress.getByName("93.184.216.34")), sleeper,
                HttpNarinfoProbe.defaultClient(), 2);
    }

    private PushReport push(CachePublisher publisher) {
        return publisher.publish(new PushRequest("infra/fleet", "main", false, false, List.of(OUT, OUT2))
                .withLogDir(tmp.resolve("logs")), Cancellation.none());
    }

    @Test
    void cachixGetsTheTokenInItsEnvironmentOnly() throws IOException {
        CachePublisher publisher = publisher(Map.of("CACHIX_AUTH_TOKEN", TOKEN),
                TestCaches.cache("cx", CacheSettings.Type.CACHIX, "my-cache")
                        .credentials(new CredentialSource.Env(List.of("CACHIX_AUTH_TOKEN"))).build());

        PushReport report = push(publisher);

        assertThat(report.summaryLines()).containsExactly(
                "cx: handed 2 paths to the backend (it uploads what it lacks), failed 0");
        assertThat(doubles.calls("cachix")).isEqualTo(1);
        assertThat(doubles.args("cachix", 1)).containsExactly("push", "--jobs", "4", "my-cache", OUT, OUT2);
        assertThat(doubles.env("cachix", 1, "CACHIX_AUTH_TOKEN")).isEqualTo(TOKEN);
        assertThat(doubles.env("cachix", 1, "CACHIX_SIGNING_KEY")).isNull();
        assertNoTokenOutsideTheDoublesRecords(TOKEN);
    }

    @Test
    void cachixTokenUnderAnotherVariableNameStillArrivesAsCachixAuthToken() {
        CachePublisher publisher = publisher(Map.of("MY_CACHIX", TOKEN),
                TestCaches.cache("cx", CacheSettings.Type.CACHIX, "my-cache")
                        .credentials(new CredentialSource.Env(List.of("MY_CACHIX"))).build());

        push(publisher);

        assertThat(doubles.env("cachix", 1, "CACHIX_AUTH_TOKEN")).isEqualTo(TOKEN);
        assertThat(doubles.env("cachix", 1, "MY_CACHIX")).isNull();
    }

    @Test
    void cachixTokenAndSigningKeyFromOneKeyValueFile() throws IOException {
        Path file = tmp.resolve("cachix.env");
        Files.writeString(file, "CACHIX_AUTH_TOKEN=" + TOKEN + "\nCACHIX_SIGNING_KEY=" + SIGNING + "\n");
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("cx", CacheSettings.Type.CACHIX, "my-cache")
                        .credentials(new CredentialSource.File(file)).build());

        push(publisher);

        assertThat(doubles.env("cachix", 1, "CACHIX_AUTH_TOKEN")).isEqualTo(TOKEN);
        assertThat(doubles.env("cachix", 1, "CACHIX_SIGNING_KEY")).isEqualTo(SIGNING);
        assertThat(String.join(" ", doubles.args("cachix", 1))).doesNotContain(TOKEN).doesNotContain(SIGNING);
    }

    @Test
    void atticReadsItsTokenFromAPrivateConfigThatIsGoneAfterwards() throws IOException {
        CachePublisher publisher = publisher(Map.of("ATTIC_TOKEN", TOKEN),
                TestCaches.cache("at", CacheSettings.Type.ATTIC, "central:fleet")
                        .endpoint("https://attic.example.com/")
                        .credentials(new CredentialSource.Env(List.of("ATTIC_TOKEN"))).build());

        PushReport report = push(publisher);

        assertThat(report.anyFailed()).isFalse();
        assertThat(doubles.args("attic", 1)).containsExactly("push", "--jobs", "4", "central:fleet", OUT, OUT2);
        String configHome = doubles.env("attic", 1, "XDG_CONFIG_HOME");
        assertThat(configHome).startsWith(tmp.resolve("scratch").toString());
        assertThat(doubles.modes("attic", 1)).containsExactly("700", "700", "600");
        assertThat(doubles.privateFile("attic", 1)).isEqualTo("""
                default-server = "central"

                [servers."central"]
                endpoint = "https://attic.example.com/"
                token = "%s"
                """.formatted(TOKEN));
        assertThat(doubles.env("attic", 1, "ATTIC_TOKEN")).isNull();
        assertThat(Path.of(configHome)).doesNotExist();
        assertNoTokenOutsideTheDoublesRecords(TOKEN);
    }

    @Test
    void niks3ReadsATokenFromTheEnvironmentThroughAPipeNeverAFile() throws IOException {
        CachePublisher publisher = publisher(Map.of("NIKS3_TOKEN", TOKEN),
                TestCaches.cache("nk", CacheSettings.Type.NIKS3, "https://niks3.example.com")
                        .credentials(new CredentialSource.Env(List.of("NIKS3_TOKEN"))).build());

        push(publisher);

        assertThat(doubles.args("niks3", 1)).containsExactly("push", "--max-concurrent-uploads", "4", OUT, OUT2);
        assertThat(doubles.env("niks3", 1, "NIKS3_SERVER_URL")).isEqualTo("https://niks3.example.com");
        // a kill during the push can leave no token file behind: there never is one
        assertThat(doubles.env("niks3", 1, "NIKS3_AUTH_TOKEN_FILE")).isEqualTo("/dev/stdin");
        assertThat(doubles.privateFile("niks3", 1)).isEqualTo(TOKEN + "\n");
        assertThat(doubles.env("niks3", 1, "NIKS3_TOKEN")).isNull();
        assertNoTokenOutsideTheDoublesRecords(TOKEN);
    }

    @Test
    void niks3UsesAConfiguredTokenFileInPlace() throws IOException {
        Path file = tmp.resolve("niks3-token");
        Files.writeString(file, TOKEN + "\n");
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("nk", CacheSettings.Type.NIKS3, "https://niks3.example.com")
                        .credentials(new CredentialSource.File(file)).build());

        push(publisher);

        assertThat(doubles.env("niks3", 1, "NIKS3_AUTH_TOKEN_FILE")).isEqualTo(file.toString());
    }

    @Test
    void aTokenFromVaultReachesTheToolTheSameWay() {
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("cx", CacheSettings.Type.CACHIX, "my-cache")
                        .credentials(new CredentialSource.Vault("kv/ci/cachix", "token")).build());

        push(publisher);

        assertThat(doubles.env("cachix", 1, "CACHIX_AUTH_TOKEN")).isEqualTo(TOKEN);
    }

    @Test
    void transientFailuresAreRetriedWithGrowingPauses() {
        doubles.script("cachix", "error: HTTP 503 Service Unavailable", 1, 1, 0);
        CachePublisher publisher = publisher(Map.of("CACHIX_AUTH_TOKEN", TOKEN),
                TestCaches.cache("cx", CacheSettings.Type.CACHIX, "my-cache").retries(2)
                        .credentials(new CredentialSource.Env(List.of("CACHIX_AUTH_TOKEN"))).build());

        PushReport report = push(publisher);

        assertThat(report.anyFailed()).isFalse();
        assertThat(doubles.calls("cachix")).isEqualTo(3);
        assertThat(sleeper.pauses()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void retriesRunOutAndTheCacheFailsWithTheLastError() {
        doubles.script("cachix", "error: connection reset by peer", 1, 1, 1, 1);
        CachePublisher publisher = publisher(Map.of("CACHIX_AUTH_TOKEN", TOKEN),
                TestCaches.cache("cx", CacheSettings.Type.CACHIX, "my-cache").retries(2).required()
                        .credentials(new CredentialSource.Env(List.of("CACHIX_AUTH_TOKEN"))).build());

        PushReport report = push(publisher);

        assertThat(doubles.calls("cachix")).isEqualTo(3);
        assertThat(report.requiredFailed()).isTrue();
        assertThat(report.cache("cx").orElseThrow().reason())
                .isEqualTo("cachix exited with status 1: error: connection reset by peer (after 3 attempts)");
    }

    @Test
    void anAuthenticationFailureIsNotRetried() {
        doubles.script("cachix", "error: 401 Unauthorized", 1, 0);
        CachePublisher publisher = publisher(Map.of("CACHIX_AUTH_TOKEN", TOKEN),
                TestCaches.cache("cx", CacheSettings.Type.CACHIX, "my-cache").retries(3)
                        .credentials(new CredentialSource.Env(List.of("CACHIX_AUTH_TOKEN"))).build());

        PushReport report = push(publisher);

        assertThat(doubles.calls("cachix")).isEqualTo(1);
        assertThat(sleeper.pauses()).isEmpty();
        assertThat(report.cache("cx").orElseThrow().status()).isEqualTo(CacheOutcome.Status.FAILED);
    }

    @Test
    void aToolThatEchoesItsTokenDoesNotGetItIntoTheReport() {
        doubles.script("cachix", "error: bad token " + TOKEN, 1);
        CachePublisher publisher = publisher(Map.of("CACHIX_AUTH_TOKEN", TOKEN),
                TestCaches.cache("cx", CacheSettings.Type.CACHIX, "my-cache").retries(0)
                        .credentials(new CredentialSource.Env(List.of("CACHIX_AUTH_TOKEN"))).build());

        PushReport report = push(publisher);

        assertThat(report.cache("cx").orElseThrow().reason()).contains("<redacted>").doesNotContain(TOKEN);
    }

    @Test
    void aMissingCredentialFailsTheCacheNamingTheVariableNotAValue() {
        CachePublisher publisher = publisher(Map.of(),
                TestCaches.cache("cx", CacheSettings.Type.CACHIX, "my-cache")
                        .credentials(new CredentialSource.Env(List.of("CACHIX_AUTH_TOKEN"))).build());

        PushReport report = push(publisher);

        assertThat(report.cache("cx").orElseThrow().reason())
                .isEqualTo("credentials: environment variable CACHIX_AUTH_TOKEN is not set");
        assertThat(doubles.calls("cachix")).isZero();
    }

    @Test
    void aToolThatIsNotInstalledFailsTheCacheClearly() {
        CachePublisher publisher = new CachePublisher(
                List.of(TestCaches.cache("cx", CacheSettings.Type.CACHIX, "my-cache")
                        .credentials(new CredentialSource.Env(List.of("CACHIX_AUTH_TOKEN"))).build()),
                new Nix(new org.gitopssync.nix.CommandRunner(Map.of("PATH", tmp.resolve("empty").toString()))),
                new CredentialResolver(Map.of("CACHIX_AUTH_TOKEN", TOKEN), (p, f) -> null), tmp.resolve("scratch"),
                host -> List.of(), sleeper, HttpNarinfoProbe.defaultClient(), 1);

        PushReport report = push(publisher);

        assertThat(report.cache("cx").orElseThrow().reason()).startsWith("cannot start cachix");
    }

    /** The token may be in what the doubles recorded (that is what the tool saw), nowhere else we wrote. */
    private void assertNoTokenOutsideTheDoublesRecords(String token) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : List.of(tmp.resolve("logs"), tmp.resolve("scratch"))) {
            if (Files.exists(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile).forEach(files::add);
                }
            }
        }
        try (Stream<Path> walk = Files.list(doubles.records())) {
            walk.filter(p -> p.toString().endsWith(".args")).forEach(files::add);
        }
        assertThat(files).anyMatch(p -> p.toString().endsWith(".log"));
        for (Path f : files) {
            assertThat(Files.readString(f)).as(f.toString()).doesNotContain(token);
        }
    }
}
