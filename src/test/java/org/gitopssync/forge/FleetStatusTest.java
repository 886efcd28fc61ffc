package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gitopssync.ReportJson;
import org.gitopssync.cache.DestinationGuard;
import org.gitopssync.cache.HostResolver;
import org.gitopssync.config.Credential;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.config.FleetSettings;
import org.gitopssync.config.RepositorySettings;
import org.gitopssync.config.SignatureSettings;
import org.gitopssync.fleet.FleetStatus;
import org.gitopssync.fleet.ReleaseStore;
import org.gitopssync.source.GitSource;
import org.gitopssync.testing.GitCli;
import org.gitopssync.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet status} over a real git clone, a {@code file://} release store and the GitHub double's statuses:
 * one host current, one two commits behind, one whose last deploy failed.
 */
class FleetStatusTest {

    static final List<String> HOSTS = List.of("web-1", "web-2", "web-3");

    @TempDir
    Path tmp;

    final MutableClock clock = MutableClock.atDefault();
    Path origin;
    Path releases;
    String c1;
    String c2;
    String c3;

    @BeforeEach
    void setUp() throws IOException {
        origin = tmp.resolve("origin");
        Files.createDirectories(origin);
        GitCli.run(origin, "init", "-q", "-b", "main");
        c1 = commit(1);
        c2 = commit(2);
        c3 = commit(3);
        releases = tmp.resolve("releases");
    }

    private String commit(int n) throws IOException {
        Files.writeString(origin.resolve("flake.nix"), "# change " + n + "\n");
        GitCli.run(origin, "add", "flake.nix");
        GitCli.run(origin, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "change " + n);
        return GitCli.run(origin, "rev-parse", "HEAD").strip();
    }

    private void released(String host, String commit) throws IOException {
        Files.createDirectories(releases.resolve(host));
        Files.writeString(releases.resolve(host).resolve("latest"), commit + "\n");
    }

    private GitSource fetchedClone() {
        RepositorySettings settings = new RepositorySettings(origin.toUri().toString(), "main", Duration.ofMinutes(5),
                Duration.ZERO, CredentialSource.none(), "git", new RepositorySettings.SshSettings(CredentialSource.none(),
                        null, null), false, Duration.ofSeconds(30), SignatureSettings.none());
        GitSource source = new GitSource(settings, new CredentialResolver(Map.of(), null), tmp.resolve("state"));
        source.fetch();
        return source;
    }

    private ReleaseStore store() {
        FleetSettings fleet = new FleetSettings(FleetSettings.Role.HOST, CredentialSource.none(), List.of(),
                Duration.ofMinutes(30), FleetSettings.Fallback.WAIT, releases.toUri().toString(), CredentialSource.none(),
                false, List.of(), List.of(), Duration.ZERO);
        return ReleaseStore.open(fleet, new CredentialResolver(Map.of(), null), new DestinationGuard(HostResolver.SYSTEM));
    }

    /** The fleet as the agents left it: web-1 took every commit, web-2 stopped at c1, web-3 failed on c3. */
    private void deployments(GitHubApiDouble github) {
        for (String host : HOSTS) {
            github.postedElsewhere("acme/fleet", c1, "gitops-sync/deploy/" + host, "success", "deployed as generation 1");
            clock.advance(Duration.ofMinutes(1));
        }
        github.postedElsewhere("acme/fleet", c2, "gitops-sync/deploy/web-1", "success", "deployed as generation 2");
        github.postedElsewhere("acme/fleet", c2, "gitops-sync/deploy/web-3", "success", "deployed as generation 2");
        github.postedElsewhere("acme/fleet", c2, "gitops-sync/eval", "success", "evaluated");
        clock.advance(Duration.ofMinutes(1));
        github.postedElsewhere("acme/fleet", c3, "gitops-sync/deploy/web-1", "pending", "building");
        github.postedElsewhere("acme/fleet", c3, "gitops-sync/deploy/web-3", "pending", "building");
        clock.advance(Duration.ofMinutes(1));
        github.postedElsewhere("acme/fleet", c3, "gitops-sync/deploy/web-1", "success", "deployed as generation 3");
        github.postedElsewhere("acme/fleet", c3, "gitops-sync/deploy/web-3", "failure",
                "rolled back: health check http failed");
    }

    private FleetStatus.Report read(GitHubApiDouble github, GitSource source) {
        ForgeApi api = ForgeApi.connect(new ForgeConnection(ForgeKind.GITHUB, github.baseUrl(),
                new ForgeAuth.Token(Credential.of("ghp_t", "test"))), HttpClient.newHttpClient(), clock);
        RepositoryCoordinates repo = RepositoryCoordinates.of("acme", "fleet");
        return new FleetStatus(source, Optional.of(store()), Optional.of(sha -> api.statusLedger().latest(repo, sha)))
                .read("main", HOSTS);
    }

    @Test
    void oneHostCurrentOneTwoCommitsBehindOneFailed() throws IOException {
        released("web-1", c3);
        released("web-2", c1);
        released("web-3", c3);
        try (GitHubApiDouble github = new GitHubApiDouble(clock, "ghp_t"); GitSource source = fetchedClone()) {
            deployments(github);

            FleetStatus.Report report = read(github, source);

            assertThat(report.head()).isEqualTo(c3);
            assertThat(report.hosts()).containsExactly(
                    new FleetStatus.HostLine("web-1", c3, 0, c3, 0, new FleetStatus.Outcome("success",
                            "deployed as generation 3", c3, report.hosts().get(0).lastOutcome().at())),
                    new FleetStatus.HostLine("web-2", c1, 2, c1, 2, new FleetStatus.Outcome("success",
                            "deployed as generation 1", c1, report.hosts().get(1).lastOutcome().at())),
                    new FleetStatus.HostLine("web-3", c2, 1, c3, 0, new FleetStatus.Outcome("failure",
                            "rolled back: health check http failed", c3, report.hosts().get(2).lastOutcome().at())));
            // one request per commit for the whole fleet, not one per host
            assertThat(github.requests("GET", "/repos/acme/fleet/commits/" + c3 + "/statuses")).hasSize(1);

            String[] table = FleetStatus.table(report).split("\n");
            String s1 = c1.substring(0, 12);
            String s2 = c2.substring(0, 12);
            String s3 = c3.substring(0, 12);
            assertThat(table).containsExactly(
                    "branch main at " + s3 + " (the clone's last fetch)",
                    "HOST   DEPLOYED      BEHIND  RELEASED      LAST OUTCOME",
                    "web-1  " + s3 + "  0       " + s3 + "  success on " + s3 + ": deployed as generation 3",
                    "web-2  " + s1 + "  2       " + s1 + "  success on " + s1 + ": deployed as generation 1",
                    "web-3  " + s2 + "  1       " + s3 + "  failure on " + s3 + ": rolled back: health check http failed");

            JsonNode json = ReportJson.MAPPER.readTree(ReportJson.MAPPER.writeValueAsString(report.hosts()));
            assertThat(json.isArray()).isTrue();
            assertThat(json.get(1).path("host").asText()).isEqualTo("web-2");
            assertThat(json.get(1).path("deployed").asText()).isEqualTo(c1);
            assertThat(json.get(1).path("behind").asInt()).isEqualTo(2);
            assertThat(json.get(2).path("lastOutcome").path("state").asText()).isEqualTo("failure");
            assertThat(json.get(2).path("lastOutcome").path("commit").asText()).isEqualTo(c3);
            assertThat(json.get(2).path("lastOutcome").path("at").asText()).isEqualTo("2025-06-02T10:05:00Z");
            List<String> fields = new ArrayList<>();
            json.get(0).fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("host", "deployed", "behind", "released", "releasedBehind",
                    "lastOutcome");
        }
    }

    @Test
    void withoutAForgeTheReleaseStoreStillSaysWhatWasReleasedAndTheStoreListsItsHosts() throws IOException {
        released("web-1", c3);
        released("web-2", c1);
        Files.createDirectories(releases.resolve("web-3")); // records, no latest yet
        try (GitSource source = fetchedClone()) {
            FleetStatus.Report report = new FleetStatus(source, Optional.of(store()), Optional.empty())
                    .read("main", List.of("web-1", "web-2"));

            assertThat(report.hosts()).containsExactly(new FleetStatus.HostLine("web-1", null, null, c3, 0, null),
                    new FleetStatus.HostLine("web-2", null, null, c1, 2, null));
            assertThat(store().hosts()).containsExactly("web-1", "web-2");
        }
    }
}
