package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** [[hooks]] command hooks fed by real cycles: each event's exact environment, and hooks never change an outcome. */
class CycleHooksTest {

    private static final String FORGE_TOKEN = "ghp_hook-must-never-see-this";
    private static final Set<String> SHELL_ADDS = Set.of("PWD", "SHLVL", "_");

    @TempDir
    Path tmp;

    DemoFlakeRepo repo;
    AgentFixture fixture;
    RecordingCommandRunner runner;
    Path seen;
    Map<String, String> agentEnv;

    @BeforeEach
    void setUp() throws IOException {
        repo = DemoFlakeRepo.create(tmp);
        fixture = new AgentFixture(tmp, repo);
        runner = new RecordingCommandRunner();
        seen = Files.createDirectories(tmp.resolve("hook-saw"));
        // credentials the agent itself was given: the age key by value, and a token as an override
        agentEnv = Map.of("PATH", System.getenv("PATH"), "SOPS_AGE_KEY", Files.readString(AgentFixture.demoKey()),
                "GITOPS_FORGE_TOKEN", FORGE_TOKEN, "HOME", "/root");
    }

    private Path script(String name, String body) throws IOException {
        Path s = tmp.resolve("bin/" + name);
        Files.createDirectories(s.getParent());
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    private CycleReport cycle() {
        try (Agent agent = Agent.open(fixture.load(Map.of()).settings(), agentEnv, runner, Clock.systemUTC())) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }

    /** The environment a hook saw for an event (written with `env -0`, so multi-line values survive). */
    private Map<String, String> sawFor(String event) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : Files.readString(seen.resolve(event + ".env")).split("\0")) {
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return env;
    }

    private void assertOnlyEventAndHarmlessVariables(Map<String, String> env) {
        Set<String> allowed = Set.of("GITOPS_EVENT", "GITOPS_HOST", "GITOPS_COMMIT", "GITOPS_BRANCH",
                "GITOPS_GENERATION", "GITOPS_SYSTEM", "GITOPS_ERROR", "PATH");
        assertThat(env.keySet()).as("no variable of the agent's beyond PATH, nothing secret")
                .allMatch(k -> allowed.contains(k) || SHELL_ADDS.contains(k));
        assertThat(env.keySet()).containsAll(allowed);
        assertThat(String.join("\n", env.values())).doesNotContain(FORGE_TOKEN, "AGE-SECRET-KEY");
    }

    @Test
    void everyEventRunsItsHookWithExactlyTheEventsEnvironment() throws IOException {
        Path recorder = script("record-env", "env -0 > \"$1/$GITOPS_EVENT.env\"");
        fixture.extra("""
                [[hooks]]
                on = ["deployed", "rolled-back", "failed", "refused", "reboot-needed", "drift"]
                command = [%s, %s]
                timeout = "1m"
                """.formatted(AgentFixture.quote(recorder.toString()), AgentFixture.quote(seen.toString())));

        CycleReport deployed = cycle();
        assertThat(deployed.outcome()).as(deployed.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        Map<String, String> d = sawFor("deployed");
        assertOnlyEventAndHarmlessVariables(d);
        assertThat(d).containsEntry("GITOPS_EVENT", "deployed").containsEntry("GITOPS_HOST", "demo")
                .containsEntry("GITOPS_COMMIT", deployed.commit()).containsEntry("GITOPS_BRANCH", "main")
                .containsEntry("GITOPS_GENERATION", "1").containsEntry("GITOPS_SYSTEM", deployed.outPath())
                .containsEntry("GITOPS_ERROR", "");

        repo.edit("flake.nix", "args = [ \"-c\" \"printf '%s' \\\"$text\\\" > $out\" ];",
                "args = [ \"-c\" \"echo this build fails on purpose >&2; exit 3\" ];");
        String broken = repo.commit("break the packages");
        CycleReport failed = cycle();
        assertThat(failed.outcome()).isEqualTo(CycleOutcome.FAILED);
        Map<String, String> f = sawFor("failed");
        assertOnlyEventAndHarmlessVariables(f);
        assertThat(f).containsEntry("GITOPS_EVENT", "failed").containsEntry("GITOPS_COMMIT", broken)
                .containsEntry("GITOPS_GENERATION", "").containsEntry("GITOPS_SYSTEM", "")
                .containsEntry("GITOPS_ERROR", failed.summary());
        assertThat(f.get("GITOPS_ERROR")).isNotBlank();

        repo.resetHard(deployed.commit());
        repo.edit("flake.nix", "Welcome to the gitops-sync demo host.", "Rewritten history.");
        GitRewrite.amend(repo);
        CycleReport refused = cycle();
        assertThat(refused.outcome()).isEqualTo(CycleOutcome.REFUSED);
        Map<String, String> r = sawFor("refused");
        assertOnlyEventAndHarmlessVariables(r);
        assertThat(r).containsEntry("GITOPS_EVENT", "refused").containsEntry("GITOPS_COMMIT", repo.head())
                .containsEntry("GITOPS_ERROR", refused.summary());
        assertThat(r.get("GITOPS_ERROR")).contains("gitops-sync reset", "--to " + repo.head());

        Path hand = Files.createDirectories(tmp.resolve("hand-built-system"));
        Path current = repo.root().resolve("run/current-system");
        Files.delete(current);
        Files.createSymbolicLink(current, hand);
        cycle();
        Map<String, String> drift = sawFor("drift");
        assertOnlyEventAndHarmlessVariables(drift);
        assertThat(drift).containsEntry("GITOPS_EVENT", "drift").containsEntry("GITOPS_HOST", "demo")
                .containsEntry("GITOPS_COMMIT", deployed.commit()).containsEntry("GITOPS_GENERATION", "1")
                .containsEntry("GITOPS_SYSTEM", hand.toRealPath().toString());
        assertThat(drift.get("GITOPS_ERROR")).contains(deployed.outPath(), "changed by hand");

        Files.delete(seen.resolve("drift.env"));
        cycle();
        assertThat(seen.resolve("drift.env")).as("the same drift is reported once, not on every poll").doesNotExist();
    }

    @Test
    void aFailingAndAHangingHookAreLoggedAndTheOutcomeStands() throws IOException {
        Path failing = script("failing", "echo the pager is down >&2; exit 7");
        Path pidFile = tmp.resolve("hanging.pid");
        Path hanging = script("hanging", "echo $$ > \"$1\"; exec sleep 600");
        Path recorder = script("record-env", "env -0 > \"$1/$GITOPS_EVENT.env\"");
        fixture.extra("""
                [[hooks]]
                on = ["deployed"]
                command = [%s]

                [[hooks]]
                on = ["deployed"]
                command = [%s, %s]
                timeout = "1s"

                [[hooks]]
                on = ["deployed"]
                command = [%s, %s]
                """.formatted(AgentFixture.quote(failing.toString()), AgentFixture.quote(hanging.toString()),
                AgentFixture.quote(pidFile.toString()), AgentFixture.quote(recorder.toString()),
                AgentFixture.quote(seen.toString())));

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            assertThat(store.cycle(report.cycleId()).orElseThrow().outcome()).isEqualTo(CycleOutcome.DEPLOYED);
        }
        assertThat(sawFor("deployed")).as("the hooks after the failing ones still ran")
                .containsEntry("GITOPS_COMMIT", report.commit());
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("the hanging hook was killed at its timeout").isFalse();
    }

    @Test
    void aHealthGateRollbackRunsRolledBackHooksNamingTheProbeAndNotFailedHooks() throws IOException {
        Path broken = tmp.resolve("probe-broken");
        Path probe = script("healthz", "[ -f '" + broken + "' ] && { echo 'GET /healthz: 502 bad gateway'; exit 22; }\necho ok");
        Path recorder = script("record-env", "env -0 > \"$1/$GITOPS_EVENT.env\"");
        fixture.extra("""
                [deploy.health]
                commands = [[%s]]
                settle = "0s"
                timeout = "2s"

                [[hooks]]
                on = ["deployed", "rolled-back", "failed"]
                command = [%s, %s]
                """.formatted(AgentFixture.quote(probe.toString()), AgentFixture.quote(recorder.toString()),
                AgentFixture.quote(seen.toString())));
        CycleReport first = cycle();
        assertThat(first.outcome()).as(first.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        Files.delete(seen.resolve("deployed.env"));
        String doomed = repo.commitMotd("Unhealthy.");
        Files.writeString(broken, "");

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.summary()).startsWith("rolled back: command `healthz` failed");
        Map<String, String> r = sawFor("rolled-back");
        assertOnlyEventAndHarmlessVariables(r);
        assertThat(r).containsEntry("GITOPS_EVENT", "rolled-back").containsEntry("GITOPS_HOST", "demo")
                .containsEntry("GITOPS_COMMIT", doomed).containsEntry("GITOPS_BRANCH", "main")
                .containsEntry("GITOPS_SYSTEM", report.outPath());
        assertThat(r.get("GITOPS_ERROR")).contains("command `healthz` failed");
        assertThat(seen.resolve("failed.env")).as("a rollback is told once, as rolled-back, not also as failed")
                .doesNotExist();
        assertThat(seen.resolve("deployed.env")).doesNotExist();
    }

    @Test
    void aDeployThatNeedsARebootRunsRebootNeededHooks() throws IOException {
        Path oldSystem = Files.createDirectories(tmp.resolve("old-system"));
        Files.writeString(oldSystem.resolve("kernel"), "linux-6.6");
        Files.writeString(oldSystem.resolve("initrd"), "initrd-6.6");
        Path booted = Files.createSymbolicLink(tmp.resolve("booted-system"), oldSystem);
        Path recorder = script("record-env", "env -0 > \"$1/$GITOPS_EVENT.env\"");
        fixture.deployKeys("booted_system = " + AgentFixture.quote(booted.toString()));
        fixture.extra("""
                [deploy.reboot]
                allow = false

                [[hooks]]
                on = ["reboot-needed", "deployed"]
                command = [%s, %s]
                """.formatted(AgentFixture.quote(recorder.toString()), AgentFixture.quote(seen.toString())));

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.summary()).contains("reboot needed");
        Map<String, String> r = sawFor("reboot-needed");
        assertOnlyEventAndHarmlessVariables(r);
        assertThat(r).containsEntry("GITOPS_EVENT", "reboot-needed").containsEntry("GITOPS_HOST", "demo")
                .containsEntry("GITOPS_COMMIT", report.commit()).containsEntry("GITOPS_BRANCH", "main")
                .containsEntry("GITOPS_GENERATION", "1").containsEntry("GITOPS_SYSTEM", report.outPath());
        assertThat(sawFor("deployed")).as("the system was still deployed (for the next boot)")
                .containsEntry("GITOPS_SYSTEM", report.outPath());

        Files.delete(seen.resolve("reboot-needed.env"));
        cycle();
        assertThat(seen.resolve("reboot-needed.env")).as("an unchanged commit does not ask again").doesNotExist();
    }
}
