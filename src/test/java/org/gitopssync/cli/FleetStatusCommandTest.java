package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gitopssync.ReportJson;
import org.gitopssync.cli.DocsTomlExamplesTest.Run;
import org.gitopssync.testing.GitCli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gitops-sync fleet status}: which hosts it lists, its JSON, and its one-line errors. */
class FleetStatusCommandTest {

    @TempDir
    Path tmp;

    Path origin;
    Path releases;
    String first;
    String head;

    @BeforeEach
    void setUp() throws IOException {
        origin = tmp.resolve("origin");
        Files.createDirectories(origin);
        GitCli.run(origin, "init", "-q", "-b", "main");
        first = commit(1);
        head = commit(2);
        releases = tmp.resolve("releases");
    }

    private String commit(int n) throws IOException {
        Files.writeString(origin.resolve("flake.nix"), "# change " + n + "\n");
        GitCli.run(origin, "add", "flake.nix");
        GitCli.run(origin, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "change " + n);
        return GitCli.run(origin, "rev-parse", "HEAD").strip();
    }

    private Path config(String fleet) throws IOException {
        Path file = tmp.resolve("gitops.toml");
        Files.writeString(file, """
                hostname = "web-1"
                state_dir = "%s"

                [repository]
                url = "%s"
                branch = "main"
                %s""".formatted(tmp.resolve("state"), origin.toUri(), fleet));
        return file;
    }

    private void released(String host, String commit) throws IOException {
        Files.createDirectories(releases.resolve(host));
        Files.writeString(releases.resolve(host).resolve("latest"), commit + "\n");
    }

    @Test
    void noReleaseStoreAndNoForgeIsAOneLineConfigurationError() throws IOException {
        Run run = DocsTomlExamplesTest.run("fleet", "status", "--config", config("").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr().strip()).doesNotContain("\n").doesNotContain("Exception")
                .contains("fleet.releases").contains("[[forges]]").contains("neither is configured");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void withoutACloneItSaysToSyncFirst() throws IOException {
        Run run = DocsTomlExamplesTest.run("fleet", "status", "--config",
                config("[fleet]\nreleases = \"" + releases.toUri() + "\"\n").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.stderr().strip()).doesNotContain("\n").doesNotContain("Exception")
                .contains("no clone of the repository in " + tmp.resolve("state/repo.git"))
                .contains("gitops-sync sync");
    }

    @Test
    void listsTheStoresHostsAndThisHostAsAJsonArray() throws IOException {
        GitCli.run(tmp, "clone", "-q", "--bare", origin.toString(), tmp.resolve("state/repo.git").toString());
        released("web-2", first);
        released("web-3", head);

        Run run = DocsTomlExamplesTest.run("fleet", "status", "--json", "--config",
                config("[fleet]\nreleases = \"" + releases.toUri() + "\"\n").toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode json = ReportJson.MAPPER.readTree(run.stdout());
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(3);
        assertThat(json.get(0).path("host").asText()).isEqualTo("web-1");
        assertThat(json.get(0).path("released").isNull()).isTrue();
        assertThat(json.get(1).path("host").asText()).isEqualTo("web-2");
        assertThat(json.get(1).path("released").asText()).isEqualTo(first);
        assertThat(json.get(1).path("releasedBehind").asInt()).isEqualTo(1);
        assertThat(json.get(1).path("deployed").isNull()).isTrue();
        assertThat(json.get(2).path("released").asText()).isEqualTo(head);
        assertThat(json.get(2).path("releasedBehind").asInt()).isZero();

        Run only = DocsTomlExamplesTest.run("fleet", "status", "--host", "web-3", "--config",
                tmp.resolve("gitops.toml").toString());
        assertThat(only.exitCode()).as(only.stderr()).isZero();
        assertThat(only.stdout().split("\n")).containsExactly(
                "branch main at " + head.substring(0, 12) + " (the clone's last fetch)",
                "HOST   DEPLOYED  BEHIND  RELEASED      LAST OUTCOME",
                "web-3  -         -       " + head.substring(0, 12) + "  -");
    }
}
