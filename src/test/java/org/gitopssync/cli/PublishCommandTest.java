package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gitopssync.cli.DocsTomlExamplesTest.Run;
import org.gitopssync.fleet.NixKeys;
import org.gitopssync.fleet.ReleaseRecord;
import org.gitopssync.fleet.TrustedKeys;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gitops-sync publish}: an external CI releases what it built, and a fleet host deploys it. */
class PublishCommandTest {

    @TempDir
    Path tmp;

    DemoFlakeRepo repo;
    NixKeys.KeyPair ciKey;
    Path releases;
    Path ciConfig;

    @BeforeEach
    void setUp() throws IOException {
        repo = DemoFlakeRepo.create(tmp);
        ciKey = NixKeys.generate(tmp.resolve("keys"), "ci-1");
        releases = tmp.resolve("releases");
        ciConfig = tmp.resolve("ci.toml");
        Files.writeString(ciConfig, """
                hostname = "github-actions"

                [repository]
                url = "%s"

                [fleet]
                signing_key = { file = "%s" }
                releases = "file://%s"
                """.formatted(repo.url(), ciKey.secretFile(), releases));
    }

    /** What the CI does before publishing: build the host's system from its checkout. */
    private String buildSystem() {
        String json = NixKeys.run(null, "nix", "build", "--no-link", "--json",
                repo.dir() + "#nixosConfigurations.demo.config.system.build.toplevel");
        Matcher m = Pattern.compile("\"out\":\"(/nix/store/[^\"]+)\"").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return m.group(1);
    }

    @Test
    void anExternalCiPublishesTheCheckoutsHeadAndAFleetHostDeploysIt() throws IOException {
        String system = buildSystem();

        Run publish = DocsTomlExamplesTest.run("publish", "--config", ciConfig.toString(), "--host", "demo", "--system",
                system, "--repo", repo.dir().toString());

        assertThat(publish.exitCode()).as(publish.stderr()).isZero();
        Path record = releases.resolve("demo/" + repo.head() + ".json");
        assertThat(publish.stdout()).startsWith("published " + record + ": demo at " + repo.head().substring(0, 12)
                + " -> " + system + ", signed by ci-1");
        ReleaseRecord read = ReleaseRecord.parse("r", Files.readString(record));
        assertThat(read.builder()).isEqualTo("github-actions");
        new TrustedKeys(List.of(ciKey.publicKey())).verify("r", read);

        String host = new AgentFixture(tmp.resolve("host"), repo).extra("""
                [fleet]
                role = "host"
                trusted_keys = ["%s"]
                releases = "file://%s"
                """.formatted(ciKey.publicKey(), releases)).writeConfig().toString();
        Run sync = DocsTomlExamplesTest.run("sync", "--once", "--config", host);
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(sync.stdout()).startsWith("deployed:");
        assertThat(Files.readSymbolicLink(repo.root().resolve("run/current-system")).toString()).isEqualTo(system);
    }

    @Test
    void anAbbreviatedCommitIsResolvedInTheCheckoutAndAMissingSystemChangesNothing() {
        String first = repo.head();
        repo.commitMotd("Second.");

        Run missing = DocsTomlExamplesTest.run("publish", "--config", ciConfig.toString(), "--host", "demo",
                "--system", "/nix/store/0c4ls3y0bn9i4xzw1a3qwrz1ahq2nhgp-nixos-system-demo", "--repo",
                repo.dir().toString(), "--commit", first.substring(0, 10));

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr().strip()).isEqualTo("gitops-sync: /nix/store/0c4ls3y0bn9i4xzw1a3qwrz1ahq2nhgp-"
                + "nixos-system-demo is not in the local Nix store (build it or copy it here before publishing)");
        assertThat(releases).doesNotExist();

        Run notRepo = DocsTomlExamplesTest.run("publish", "--config", ciConfig.toString(), "--host", "demo",
                "--system", buildSystem(), "--repo", tmp.resolve("keys").toString());
        assertThat(notRepo.exitCode()).isEqualTo(1);
        assertThat(notRepo.stderr()).contains("is not inside a git checkout");
    }

    @Test
    void publishWithoutAReleaseStoreIsAConfigurationError() throws IOException {
        Files.writeString(ciConfig, "[repository]\nurl = \"" + repo.url() + "\"\n");

        Run run = DocsTomlExamplesTest.run("publish", "--config", ciConfig.toString(), "--host", "demo", "--system",
                "/nix/store/0c4ls3y0bn9i4xzw1a3qwrz1ahq2nhgp-x", "--commit", repo.head());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("fleet.releases: not set; publish needs the release store");
    }
}
