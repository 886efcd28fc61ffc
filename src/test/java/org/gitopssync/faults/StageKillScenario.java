package org.gitopssync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gitopssync.DirectoryTree;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.AppProcess;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.DemoSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One {@code kill -9} of the packaged agent in the middle of one stage, and the {@code sync --once} after it.
 * Setup (once per stage class): a baseline cycle deploys the demo flake; a commit changes the system, changes a
 * secret whose manifest entry restarts a unit, and makes the stage slow; {@code sync --once} runs on it as its own process group until
 * the stage is observably under way (a log line plus the slow point reached, never a fixed sleep); the group is
 * killed; the slowness is lifted; {@code sync --once} runs again. Each test method asserts one property of the
 * state the rerun leaves, so a property a fix on another branch brings can be disabled on its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StageKillScenario {

    static final String NIKS3_TOKEN = "niks3-token-fault-suite-51c7e9";
    private static final ObjectMapper JSON = new ObjectMapper();

    Path tmp;

    DemoFlakeRepo repo;
    AgentFixture fixture;
    Gate gate;
    StatusApiDouble forge;
    StateDb db;
    Path config;
    /** The commit the killed cycle worked on (the branch head). */
    String head;
    String newToken;
    String newMotd;
    /** CI runs the killed process started. */
    List<String> deadCiRuns = List.of();
    AppProcess.Result rerun;
    GroupProcess killed;

    /** The stage this class kills in, for messages and the cycle record ("source", "secrets", ...). */
    abstract String stage();

    /** Changes to the fixture before the first config is written (e.g. another repository URL). */
    void configure() throws Exception {
    }

    /** Makes the stage slow in the working tree of the repository (committed with the secret change) or in doubles. */
    abstract void makeSlow() throws Exception;

    /** The config file the killed run uses (the same as the others unless the stage needs another). */
    Path killedRunConfig() throws Exception {
        return config;
    }

    /** Returns once the killed run is inside the stage. */
    abstract void awaitStage(GroupProcess agent) throws Exception;

    /** Lifts the slowness, so the rerun can finish. */
    abstract void lift() throws Exception;

    /** Stops what {@link #configure()} started. */
    void closeStage() throws Exception {
    }

    @BeforeAll
    void killInTheStageThenRerun() throws Exception {
        // @TempDir is not injected before @BeforeAll of a per-class instance
        tmp = Files.createTempDirectory("gitops-fault-" + stage() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        repo = DemoFlakeRepo.create(tmp);
        gate = new Gate(tmp.resolve("gate"));
        forge = new StatusApiDouble();
        fixture = new AgentFixture(tmp, repo);
        db = new StateDb(fixture.stateDir());
        writeNiks3Double();
        fixture.extra("""
                [[forges]]
                type = "github"
                api_url = "%s"
                repository = "acme/fleet"
                credentials = { env = "GH_TOKEN" }

                [[caches]]
                id = "fleet"
                type = "niks3"
                destination = "http://127.0.0.1:9"
                credentials = { env = "NIKS3_TOKEN" }
                allow_private_hosts = true
                permissions = { allow_all = true }
                """.formatted(forge.baseUrl()));
        configure();
        config = fixture.writeConfig();

        AppProcess.Result baseline = sync(config);
        assertThat(baseline.exitCode()).as("baseline cycle: " + baseline.stdout() + baseline.stderr()).isZero();
        List<String> baselineRuns = db.ciRuns();

        newToken = "fault-token-after-" + stage();
        Map<String, String> values = DemoSecrets.values();
        values.put("api_token", newToken);
        DemoSecrets.write(repo, values);
        // a new system too, so a completed cycle deploys (not "up-to-date") in every stage
        newMotd = "Converged after a kill in " + stage() + ".";
        repo.edit("flake.nix", "text = \"Welcome to the gitops-sync demo host.\\n\";", "text = \"" + newMotd + "\\n\";");
        makeSlow();
        head = repo.commit("new api token; slow " + stage());
        fixture.systemctl().clear();

        killed = GroupProcess.start(tmp, env(), "sync", "--once", "--config", killedRunConfig().toString());
        try {
            awaitStage(killed);
        } catch (AssertionError | Exception e) {
            killed.killGroup(gate.dir().toString());
            throw e;
        }
        killed.killGroup(gate.dir().toString());
        List<String> runs = new ArrayList<>(db.ciRuns());
        runs.removeAll(baselineRuns);
        deadCiRuns = runs;
        lift();
        rerun = sync(config);
    }

    @AfterAll
    void closeDoublesAndRemoveTheDirectory() throws Exception {
        closeStage();
        if (forge != null) {
            forge.close();
        }
        if (tmp != null) {
            DirectoryTree.delete(tmp);
        }
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", fixture.systemctl().pathVariable());
        env.put("GH_TOKEN", "ghp_fault-suite-token");
        env.put("NIKS3_TOKEN", NIKS3_TOKEN);
        // scratch goes below <state_dir>/run/cache, where the test looks for leftovers
        env.put("RUNTIME_DIRECTORY", "");
        return env;
    }

    AppProcess.Result sync(Path configFile) {
        return AppProcess.run(tmp, env(), "sync", "--once", "--config", configFile.toString());
    }

    /** A niks3 on the agent's PATH that pushes nothing and waits at the "cache" gate when it is armed. */
    private void writeNiks3Double() throws IOException {
        Path script = fixture.systemctl().dir().resolve("niks3");
        Files.writeString(script, "#!/bin/sh\n# test double: a niks3 that uploads nothing\n"
                + gate.shellWhenArmed("cache") + "\necho \"niks3 double: $# arguments\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    // ---- the properties of the state the rerun leaves ----

    @Test
    void theRerunDeploysWhatACleanRunOfTheHeadDeploys() throws Exception {
        assertThat(rerun.exitCode()).as(rerun.stdout() + rerun.stderr()).isZero();
        String expected = toplevelOf(head);
        AppProcess.Result status = AppProcess.run(tmp, env(), "status", "--json", "--config", config.toString());
        JsonNode json = JSON.readTree(status.stdout());
        assertThat(json.path("deployed").path("commit").asText()).isEqualTo(head);
        assertThat(json.path("runningMatchesDeployed").asBoolean()).as(status.stdout()).isTrue();
        assertThat(fixture.profile().toRealPath().toString()).isEqualTo(expected);
        assertThat(repo.root().resolve("run/current-system").toRealPath().toString()).isEqualTo(expected);
        assertThat(repo.root().resolve("etc/motd")).hasContent(newMotd + "\n");
    }

    @Test
    void noCycleIsLeftRunning() {
        assertThat(db.runningCycles()).as(db.cycles().toString()).isEmpty();
    }

    @Test
    void noCiRunIsLeftRunning() {
        assertThat(db.runningCiRuns()).isEmpty();
    }

    @Test
    void theKilledCycleIsRecordedAsAbandonedInItsStage() {
        assertThat(db.column("SELECT outcome || ' ' || COALESCE(stage, '') FROM cycles WHERE id = 2"))
                .containsExactly("abandoned " + stage());
    }

    @Test
    void theDeadRunsGcRootsAreReleased() {
        for (String run : deadCiRuns) {
            assertThat(fixture.stateDir().resolve("gcroots/ci/" + run)).as("GC roots of the killed CI run " + run)
                    .doesNotExist();
        }
    }

    @Test
    void noEvaluationTheKilledRunSawIsRememberedAndEveryRememberedOneIsWhole() {
        // a run the kill interrupted (abandoned) leaves nothing; one that finished before the kill may
        for (String run : deadCiRuns) {
            assertThat(db.column("SELECT e.key FROM ci_evaluations e JOIN ci_runs r ON r.id = e.run_id"
                    + " WHERE e.run_id = ? AND r.outcome IN ('abandoned', 'running')", Long.parseLong(run)))
                    .as("evaluations remembered from the interrupted CI run " + run).isEmpty();
        }
        assertThat(db.column("SELECT commit_sha FROM ci_evaluations")).as("the rerun's evaluation").contains(head);
        assertThat(db.column("SELECT e.commit_sha FROM ci_evaluations e WHERE e.attributes !="
                + " (SELECT COUNT(*) FROM ci_evaluation_attributes a WHERE a.key = e.key)"))
                .as("evaluations whose attributes are not all there").isEmpty();
    }

    @Test
    void noPrivateScratchOrTokenFileIsLeft() throws IOException {
        Path scratch = fixture.stateDir().resolve("run/cache");
        if (Files.isDirectory(scratch)) {
            try (Stream<Path> left = Files.list(scratch)) {
                assertThat(left.toList()).as("private scratch left in " + scratch).isEmpty();
            }
        }
        try (Stream<Path> all = Files.walk(fixture.stateDir())) {
            List<Path> holding = all.filter(Files::isRegularFile).filter(StageKillScenario::holdsTheToken).toList();
            assertThat(holding).as("files holding the cache token").isEmpty();
        }
    }

    @Test
    void theLiveSecretsAreTheDeployedCommits() throws IOException {
        Path live = fixture.secretsRoot().resolve("current");
        assertThat(live.resolve("demo/api-token")).hasContent(newToken);
        assertThat(Files.readString(live.resolve("rendered/demo.env"))).contains("API_TOKEN=" + newToken);
    }

    @Test
    void theOwedUnitRestartsWerePerformed() {
        assertThat(fixture.systemctl().calls()).contains("try-restart demo-greeter.service");
    }

    @Test
    void everyStatusOfTheHeadIsDelivered() throws InterruptedException {
        Map<String, String> states = forge.finalStates(head);
        assertThat(states).as("statuses the forge accepted for " + head).isNotEmpty();
        assertThat(states.values()).as(states.toString()).allMatch(s -> s.equals("success"));
    }

    private static boolean holdsTheToken(Path file) {
        try {
            return Files.size(file) < 10_000_000 && new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                    .contains(NIKS3_TOKEN);
        } catch (IOException e) {
            return false;
        }
    }

    /** The toplevel a clean evaluation of the commit gives, with the real nix. */
    String toplevelOf(String sha) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nix", "eval", "--raw",
                "git+file://" + repo.dir() + "?rev=" + sha + "#nixosConfigurations.demo.config.system.build.toplevel.outPath")
                .redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new UncheckedIOException(new IOException("nix eval failed: " + err));
        }
        return out;
    }
}
