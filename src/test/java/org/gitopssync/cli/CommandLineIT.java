package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gitopssync.state.CycleLock;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.AppProcess;
import org.gitopssync.testing.AppProcess.Result;
import org.gitopssync.testing.DemoFlakeRepo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged program as operators and systemd run it: output, exit codes, locks across processes. */
class CommandLineIT {

    @TempDir
    Path tmp;

    DemoFlakeRepo repo;
    AgentFixture fixture;
    Path config;

    @BeforeEach
    void setUp() {
        repo = DemoFlakeRepo.create(tmp);
        fixture = new AgentFixture(tmp, repo);
        config = fixture.writeConfig();
    }

    private Result run(String... args) {
        return AppProcess.run(tmp, Map.of(), args);
    }

    @Test
    void syncOnceDeploysThenHasNothingToDoAndStatusShowsIt() throws IOException {
        Result first = run("sync", "--once", "--config", config.toString());
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).startsWith("deployed: deployed " + repo.head().substring(0, 12));

        Result second = run("sync", "--once", "--config", config.toString());
        assertThat(second.exitCode()).isZero();
        assertThat(second.stdout()).startsWith("unchanged: main is still at");

        Result status = run("status", "--json", "--config", config.toString());
        assertThat(status.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(status.stdout());
        assertThat(json.path("deployed").path("commit").asText()).isEqualTo(repo.head());
        assertThat(json.path("profileGeneration").asInt()).isEqualTo(1);
        assertThat(json.path("lastCycle").path("outcome").asText()).isEqualTo("UNCHANGED");
        assertThat(json.path("runningMatchesDeployed").asBoolean()).isTrue();

        Result human = run("status", "--config", config.toString());
        assertThat(human.stdout()).contains("deployed:   " + repo.head(), "generation 1", "last cycle: #2 unchanged");
    }

    @Test
    void aFailedCycleExitsOneWithOneClearLine() {
        repo.edit("flake.nix", "args = [ \"-c\" \"printf '%s' \\\"$text\\\" > $out\" ];",
                "args = [ \"-c\" \"exit 1\" ];");
        repo.commit("broken");

        Result r = run("sync", "--once", "--config", config.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout().lines().findFirst().orElseThrow())
                .startsWith("failed: the system of demo at " + repo.head().substring(0, 12) + " did not build");
        assertThat(r.stdout()).contains("failed with exit code 1");
    }

    @Test
    void anotherCycleHoldingTheLockMakesSyncExitThreeNamingItsPid() {
        try (CycleLock held = CycleLock.acquire(fixture.stateDir(), "manual")) {
            Result r = run("sync", "--once", "--config", config.toString());

            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.stderr()).contains("another cycle holds the lock", "pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void badConfigurationAndBadUsageExitTwo() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.toml"), "[repository]\nurl = \"file:///x\"\nbranch = 5\n");
        Result r = run("sync", "--once", "--config", bad.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().trim()).isEqualTo("gitops-sync: configuration error: " + bad
                + ":3: repository.branch: expected a string, got an integer");

        Result plain = run("sync", "--config", config.toString());
        assertThat(plain.exitCode()).as("sync without --once is one cycle, as sync --once").isZero();
        assertThat(plain.stdout()).startsWith("deployed: ");
        assertThat(run("frobnicate").exitCode()).isEqualTo(2);
    }

    @Test
    void configCheckPrintsEffectiveSettingsAndWarnsAboutTypos() throws IOException {
        Path typo = Files.writeString(tmp.resolve("typo.toml"), fixture.toml().replace("branch = \"main\"",
                "branch = \"main\"\nallow_forcepush = true\ncredentials = { env = \"GIT_TOKEN\" }"));

        Result r = AppProcess.run(tmp, Map.of("GIT_TOKEN", "very-secret-token"), "config", "check", "--config",
                typo.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.stderr()).contains("unknown key repository.allow_forcepush (did you mean repository.allow_force_push?)");
        assertThat(r.stdout()).contains("repository.url = \"" + repo.url() + "\"", "deploy.method = \"profile\"",
                "repository.credentials = <env GIT_TOKEN>").doesNotContain("very-secret-token");
    }

    @Test
    void resetAcceptsARewrittenBranch() {
        assertThat(run("sync", "--once", "--config", config.toString()).exitCode()).isZero();
        repo.edit("flake.nix", "Welcome to the gitops-sync demo host.", "Rewritten.");
        org.gitopssync.testing.GitCli.run(repo.dir(), "commit", "-q", "-a", "--amend", "-m", "rewritten");

        Result refused = run("sync", "--once", "--config", config.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stdout()).startsWith("refused: refusing " + repo.head().substring(0, 12));

        Result reset = run("reset", "--to", repo.head(), "--config", config.toString());
        assertThat(reset.exitCode()).as(reset.stderr()).isZero();
        assertThat(reset.stdout()).startsWith("accepted " + repo.head());
        assertThat(run("sync", "--once", "--config", config.toString()).stdout()).startsWith("deployed:");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] cmd : new String[][] {{"--help"}, {"sync", "--help"}, {"daemon", "--help"}, {"status", "--help"},
                {"config", "check", "--help"}, {"reset", "--help"}, {"demo", "--help"}, {"secrets", "decrypt", "--help"},
                {"secrets", "check", "--help"}}) {
            Result r = run(cmd);
            assertThat(r.exitCode()).as(String.join(" ", cmd)).isZero();
            assertThat(r.stdout()).contains("Usage: gitops-sync");
        }
    }

    @Test
    void demoDeploysOnceAndIsANoOpTheSecondTime() throws IOException {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Result first = AppProcess.run(work, Map.of(), "demo");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).contains("demo: cycle 1 deployed", "Make a change and watch it deploy:",
                "demo: secrets installed under " + work.resolve(".demo/secrets/current").toRealPath().getParent().resolve("current"));
        assertThat(work.resolve(".demo/secrets/current/demo/api-token")).hasContent("demo-token-4f1d9a7c2b8e6035");
        assertThat(Files.readString(work.resolve(".demo/machine/etc/motd"))).startsWith("Welcome to the gitops-sync demo");

        Result second = AppProcess.run(work, Map.of(), "demo");
        assertThat(second.exitCode()).isZero();
        assertThat(second.stdout()).contains("demo: cycle 2 unchanged", "nothing to do");
        assertThat(Files.readAllLines(work.resolve(".demo/machine/activations.log"))).hasSize(1);
    }
}
