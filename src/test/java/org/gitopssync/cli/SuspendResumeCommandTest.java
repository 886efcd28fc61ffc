package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gitopssync.cli.DocsTomlExamplesTest.Run;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `suspend`, `status` and `resume` through picocli, with real cycles (`sync --once`) in between. */
class SuspendResumeCommandTest {

    @TempDir
    Path tmp;

    DemoFlakeRepo repo;
    String config;

    @BeforeEach
    void setUp() {
        repo = DemoFlakeRepo.create(tmp);
        config = new AgentFixture(tmp, repo).writeConfig().toString();
    }

    private String motd() throws IOException {
        return Files.readString(repo.root().resolve("etc/motd"));
    }

    @Test
    void aSuspendedAgentFetchesAndReportsButDeploysNothingUntilResumed() throws IOException {
        assertThat(DocsTomlExamplesTest.run("sync", "--once", "--config", config).stdout()).startsWith("deployed:");

        Run suspend = DocsTomlExamplesTest.run("suspend", "--reason", "testing a kernel by hand", "--config", config);
        assertThat(suspend.exitCode()).as(suspend.stderr()).isZero();
        String who = System.getenv().getOrDefault("USER", System.getProperty("user.name"));
        assertThat(suspend.stdout()).startsWith("suspended by ").contains(who, "uid ", "testing a kernel by hand");

        String pushed = repo.commitMotd("Waits for resume.");
        Run sync = DocsTomlExamplesTest.run("sync", "--once", "--config", config);
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(sync.stdout()).startsWith("suspended:").contains("built " + pushed.substring(0, 12),
                "testing a kernel by hand", "gitops-sync resume");
        assertThat(motd()).isEqualTo("Welcome to the gitops-sync demo host.\n");

        Run status = DocsTomlExamplesTest.run("status", "--config", config);
        assertThat(status.stdout()).contains("suspended:  by " + who, "testing a kernel by hand",
                "nothing is deployed until `gitops-sync resume`");
        Run json = DocsTomlExamplesTest.run("status", "--json", "--config", config);
        assertThat(json.stdout()).contains("\"suspension\"", "\"reason\" : \"testing a kernel by hand\"",
                "\"suspendedBy\" : \"" + who);

        Run resume = DocsTomlExamplesTest.run("resume", "--config", config);
        assertThat(resume.exitCode()).isZero();
        assertThat(resume.stdout()).startsWith("resumed (suspended by " + who).contains("the next cycle deploys main's head");
        assertThat(DocsTomlExamplesTest.run("sync", "--once", "--config", config).stdout()).startsWith("deployed:");
        assertThat(motd()).isEqualTo("Waits for resume.\n");
        assertThat(DocsTomlExamplesTest.run("status", "--config", config).stdout()).doesNotContain("suspended:");
        assertThat(DocsTomlExamplesTest.run("resume", "--config", config).stdout())
                .startsWith("not suspended; nothing to resume");
    }
}
