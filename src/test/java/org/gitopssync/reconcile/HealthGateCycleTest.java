package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.DeploymentRecord;
import org.gitopssync.state.Quarantine;
import org.gitopssync.state.Quarantines;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.DemoSecrets;
import org.gitopssync.testing.RecordingCommandRunner;
import org.gitopssync.testing.SystemctlDouble;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole cycles with {@code [deploy.health]}: the demo's fake toplevel records every activation, a probe script
 * fails on demand and records which system ran when it probed, and systemctl is a double.
 */
class HealthGateCycleTest {

    @TempDir
    Path tmp;

    DemoFlakeRepo repo;
    AgentFixture fixture;
    SystemctlDouble systemctl;
    RecordingCommandRunner runner;
    Path probe;

    @BeforeEach
    void setUp() throws IOException {
        repo = DemoFlakeRepo.create(tmp);
        fixture = new AgentFixture(tmp, repo);
        systemctl = fixture.systemctl();
        runner = new RecordingCommandRunner(Map.of("PATH", systemctl.pathVariable()));
        probe = tmp.resolve("probe/healthz");
        Files.createDirectories(probe.getParent());
        Files.writeString(probe, """
                #!/bin/sh
                # test probe: records the running system; fails while probe/fails-left > 0, or always with probe/broken
                dir='%1$s'
                readlink '%2$s' >> "$dir/probed"
                [ -f "$dir/broken" ] && { echo "GET /healthz: 502 bad gateway"; exit 22; }
                n=0
                [ -f "$dir/fails-left" ] && read -r n < "$dir/fails-left"
                if [ "$n" -gt 0 ]; then echo $((n - 1)) > "$dir/fails-left"; echo "connection refused"; exit 7; fi
                echo ok
                """.formatted(probe.getParent(), repo.root().resolve("run/current-system")));
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rwxr-xr-x"));
        fixture.extra("""
                [deploy.health]
                commands = [["%s"]]
                units = ["demo-greeter.service"]
                no_new_failed_units = true
                git_reachable = true
                settle = "0s"
                timeout = "3s"
                """.formatted(probe));
    }

    private CycleReport cycle() {
        return cycle(runner);
    }

    private CycleReport cycle(CommandRunner with) {
        try (Agent agent = Agent.open(fixture.load(Map.of()).settings(), Map.of(), with, Clock.systemUTC())) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }

    private CycleReport retry() {
        try (Agent agent = Agent.open(fixture.load(Map.of()).settings(), Map.of(), runner, Clock.systemUTC())) {
            return agent.reconciler().retry(Trigger.MANUAL, Cancellation.none());
        }
    }

    private SystemProfile profile() {
        return new SystemProfile(fixture.profile(), repo.root().resolve("run/current-system"));
    }

    private List<String> activations() throws IOException {
        return Files.readAllLines(repo.root().resolve("activations.log"));
    }

    private List<String> probedSystems() throws IOException {
        Path f = probe.resolveSibling("probed");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    private void probeFails(int times) throws IOException {
        Files.writeString(probe.resolveSibling("fails-left"), times + "\n");
    }

    private void probeBroken(boolean broken) throws IOException {
        Path f = probe.resolveSibling("broken");
        if (broken) {
            Files.writeString(f, "");
        } else {
            Files.deleteIfExists(f);
        }
    }

    private Quarantine onlyQuarantine() {
        try (Agent agent = fixture.open(runner)) {
            List<Quarantine> all = new Quarantines(agent.store()).all();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    @Test
    void aPassingGateActivatesWithTestThenMakesTheSystemTheBootDefault() throws IOException {
        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(activations()).containsExactly("test " + report.outPath(), "boot " + report.outPath());
        assertThat(probedSystems()).containsExactly(report.outPath());
        assertThat(profile().current()).get().extracting(SystemProfile.Generation::outPath).isEqualTo(report.outPath());
        assertThat(systemctl.calls()).contains("list-units --failed --plain --no-legend --no-pager",
                "is-active demo-greeter.service");
    }

    @Test
    void aProbeThatKeepsFailingRollsBackSystemProfileAndSecretsAndQuarantinesTheCommit() throws IOException {
        CycleReport first = cycle();
        Map<String, String> values = DemoSecrets.values();
        values.put("api_token", "token-of-an-unhealthy-system");
        DemoSecrets.write(repo, values);
        String doomed = repo.commitMotd("Unhealthy.");
        probeBroken(true);

        CycleReport report = cycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.stage()).isEqualTo(Stage.DEPLOY);
        assertThat(report.summary()).startsWith("rolled back: command `healthz` failed; ")
                .contains("502 bad gateway", "secrets switched back to generation 1",
                        doomed.substring(0, 12) + " is quarantined");
        assertThat(activations()).containsExactly("test " + first.outPath(), "boot " + first.outPath(),
                "test " + report.outPath(), "test " + first.outPath());
        assertThat(probedSystems()).as("the new system was probed while it ran").contains(report.outPath())
                .hasSizeGreaterThan(2);
        assertThat(profile().running()).contains(first.outPath());
        assertThat(profile().current()).get().satisfies(g -> {
            assertThat(g.number()).isEqualTo(1);
            assertThat(g.outPath()).isEqualTo(first.outPath());
        });
        Path secrets = fixture.secretsRoot().resolve("current");
        assertThat(Files.readSymbolicLink(secrets)).isEqualTo(Path.of("1"));
        assertThat(Files.readString(secrets.resolve("demo/api-token"))).isEqualTo(DemoSecrets.values().get("api_token"));
        Quarantine q = onlyQuarantine();
        assertThat(q.commit()).isEqualTo(doomed);
        assertThat(q.probe()).isEqualTo("command `healthz`");
        assertThat(q.output()).contains("502 bad gateway");
        try (Agent agent = fixture.open(runner)) {
            DeploymentRecord last = agent.store().recentDeployments(1).get(0);
            assertThat(last.status()).isEqualTo(DeploymentRecord.Status.ROLLED_BACK);
            assertThat(last.status().word()).isEqualTo("rolled-back");
            assertThat(last.error()).contains("health gate: command `healthz` failed", "502 bad gateway");
            assertThat(HostStatus.read(agent.settings(), agent.store(), 5).quarantined()).extracting(Quarantine::commit)
                    .containsExactly(doomed);
        }

        probeBroken(false);
        CycleReport forced;
        try (Agent agent = fixture.open(runner)) {
            forced = agent.reconciler().run(new CycleRequest(Trigger.MANUAL, false, true), Cancellation.none());
        }
        assertThat(forced.outcome()).as("not even sync --force tries a quarantined commit again")
                .isEqualTo(CycleOutcome.UNCHANGED);
        assertThat(forced.summary()).contains("is quarantined", "command `healthz` failed", "gitops-sync retry");
        assertThat(activations()).hasSize(4);
    }

    @Test
    void aProbeThatPassesOnItsThirdRoundDeploys() throws IOException {
        cycle();
        repo.commitMotd("Slow to start.");
        probeFails(2);

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.generation()).isEqualTo(2);
        assertThat(probedSystems().stream().filter(report.outPath()::equals)).hasSize(3);
        assertThat(activations().subList(2, 4)).containsExactly("test " + report.outPath(), "boot " + report.outPath());
        assertThat(profile().running()).contains(report.outPath());
    }

    @Test
    void failedUnitsThatCannotBeListedStopTheGateBeforeAnythingChanges() throws IOException {
        CycleReport first = cycle();
        repo.commitMotd("Greeter broken.");
        systemctl.exitWith(3);

        CycleReport report;
        try (Agent agent = Agent.open(fixture.load(Map.of()).settings(), Map.of(), runner, Clock.systemUTC())) {
            report = agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }

        // the failed-unit listing fails too, before anything changed: the gate refuses to start blind
        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.summary()).contains("cannot list the failed units before activating", "nothing was changed");
        assertThat(profile().running()).contains(first.outPath());
        assertThat(activations()).hasSize(2);
    }

    @Test
    void aCrashDuringTheGateLeavesTheProfileOnTheOldSystemAndTheNextCycleReactivatesIt() throws IOException {
        CycleReport first = cycle();
        repo.commitMotd("Crash while probing.");
        CommandRunner crashing = new CommandRunner(Map.of("PATH", systemctl.pathVariable())) {
            @Override
            public CommandResult run(Command command, Cancellation cancellation) {
                if (command.argv().get(0).equals(probe.toString())) {
                    throw new ProcessDied();
                }
                return super.run(command, cancellation);
            }
        };

        // the reconciler records any Throwable as a failed cycle; nothing after the throw point ran, as with a kill
        assertThat(cycle(crashing).outcome()).isEqualTo(CycleOutcome.FAILED);
        String crashed = activations().get(2).substring("test ".length());
        assertThat(profile().running()).as("the new system was being tested").contains(crashed);
        assertThat(profile().current()).get().extracting(SystemProfile.Generation::outPath)
                .as("the commit point never came").isEqualTo(first.outPath());

        CycleReport next = cycle();

        assertThat(next.outcome()).as(next.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(activations().subList(3, activations().size())).containsExactly("test " + first.outPath(),
                "test " + crashed, "boot " + crashed);
        try (Agent agent = fixture.open(runner)) {
            assertThat(agent.store().recentDeployments(5)).anySatisfy(d -> {
                assertThat(d.status()).isEqualTo(DeploymentRecord.Status.ROLLED_BACK);
                assertThat(d.error()).contains("the agent stopped during the health gate");
            });
        }
    }

    private CommandRunner crashingAtTheProbe() {
        return new CommandRunner(Map.of("PATH", systemctl.pathVariable())) {
            @Override
            public CommandResult run(Command command, Cancellation cancellation) {
                if (command.argv().get(0).equals(probe.toString())) {
                    throw new ProcessDied();
                }
                return super.run(command, cancellation);
            }
        };
    }

    @Test
    void aCrashDuringTheGateSwitchesTheSecretsBackSoALaterRollbackRestoresTheOldValues() throws IOException {
        cycle();
        Map<String, String> values = DemoSecrets.values();
        values.put("api_token", "token-of-a-system-that-crashed-the-agent");
        DemoSecrets.write(repo, values);
        repo.commitMotd("Crash while probing, then unhealthy.");
        assertThat(cycle(crashingAtTheProbe()).outcome()).isEqualTo(CycleOutcome.FAILED);
        Path secrets = fixture.secretsRoot().resolve("current");
        assertThat(Files.readString(secrets.resolve("demo/api-token"))).as("live when the agent died")
                .isEqualTo("token-of-a-system-that-crashed-the-agent");
        probeBroken(true);

        CycleReport next = cycle();

        assertThat(next.outcome()).as(next.summary()).isEqualTo(CycleOutcome.FAILED);
        assertThat(next.summary()).startsWith("rolled back: command `healthz` failed");
        assertThat(Files.readString(secrets.resolve("demo/api-token"))).as("the old system's secret is live again")
                .isEqualTo(DemoSecrets.values().get("api_token"));
    }

    @Test
    void aCommitWhoseGateIsInterruptedTwiceIsQuarantined() throws IOException {
        CycleReport first = cycle();
        String doomed = repo.commitMotd("Takes the agent down with it.");
        assertThat(cycle(crashingAtTheProbe()).outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(cycle(crashingAtTheProbe()).outcome()).as("recovered once, tried again, interrupted again")
                .isEqualTo(CycleOutcome.FAILED);

        CycleReport third = cycle();

        assertThat(third.outcome()).as(third.summary()).isEqualTo(CycleOutcome.UNCHANGED);
        assertThat(third.summary()).contains("is quarantined");
        assertThat(onlyQuarantine().commit()).isEqualTo(doomed);
        assertThat(profile().running()).contains(first.outPath());
    }

    @Test
    void theOldSecretsAreLiveAgainBeforeTheOldSystemIsReactivated() throws IOException {
        CycleReport first = cycle();
        Map<String, String> values = DemoSecrets.values();
        values.put("api_token", "token-of-an-unhealthy-system");
        DemoSecrets.write(repo, values);
        repo.commitMotd("Unhealthy.");
        probeBroken(true);
        Path token = fixture.secretsRoot().resolve("current/demo/api-token");
        List<String> seenByTheOldSystem = new ArrayList<>();
        CommandRunner watching = new CommandRunner(Map.of("PATH", systemctl.pathVariable())) {
            @Override
            public CommandResult run(Command command, Cancellation cancellation) {
                if (command.argv().get(0).equals(first.outPath() + "/bin/switch-to-configuration")) {
                    try {
                        seenByTheOldSystem.add(Files.readString(token));
                    } catch (IOException e) {
                        seenByTheOldSystem.add("unreadable: " + e.getMessage());
                    }
                }
                return super.run(command, cancellation);
            }
        };

        assertThat(cycle(watching).outcome()).isEqualTo(CycleOutcome.FAILED);

        assertThat(seenByTheOldSystem).as("what the re-activated old system's units read")
                .containsExactly(DemoSecrets.values().get("api_token"));
    }

    @Test
    void retryLiftsTheQuarantineAndDeploysTheCommit() throws IOException {
        cycle();
        String doomed = repo.commitMotd("Fixed outside git.");
        probeBroken(true);
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(cycle().outcome()).as("a poll leaves it alone").isEqualTo(CycleOutcome.UNCHANGED);
        probeBroken(false);

        CycleReport report = retry();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.commit()).isEqualTo(doomed);
        try (Agent agent = fixture.open(runner)) {
            assertThat(new Quarantines(agent.store()).all()).isEmpty();
        }
    }

    @Test
    void theBranchMovingPastAQuarantinedCommitDeploysTheNewHead() throws IOException {
        cycle();
        repo.commitMotd("Bad.");
        probeBroken(true);
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.FAILED);
        probeBroken(false);
        String fixed = repo.commitMotd("Good again.");

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.commit()).isEqualTo(fixed);
    }

    @Test
    void withActivationUnitAlwaysEveryActivationRunsInATransientUnit() throws IOException {
        Path bin = tmp.resolve("systemd-run-bin");
        Files.createDirectories(bin);
        Path recorded = bin.resolve("systemd-run.calls");
        Path double_ = bin.resolve("systemd-run");
        Files.writeString(double_, """
                #!/bin/sh
                # test double: records its arguments, then runs the command after "--" (no systemd here)
                printf '%%s\\n' "$*" >> '%s'
                while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do shift; done
                shift
                exec "$@"
                """.formatted(recorded));
        Files.setPosixFilePermissions(double_, PosixFilePermissions.fromString("rwxr-xr-x"));
        runner = new RecordingCommandRunner(Map.of("PATH", bin + ":" + systemctl.pathVariable()));
        fixture.deployKeys("activation_unit = \"always\"");

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        String hash = Path.of(report.outPath()).getFileName().toString().substring(0, 8);
        String common = " --wait --collect --service-type=exec --pipe --quiet --no-ask-password -E LOCALE_ARCHIVE"
                + " -E NIXOS_INSTALL_BOOTLOADER --property=KillMode=mixed --property=RuntimeMaxSec=1800s -- " + report.outPath()
                + "/bin/switch-to-configuration ";
        assertThat(Files.readAllLines(recorded)).containsExactly(
                "--unit=gitops-sync-activate-" + hash + "-test --description=gitops-sync: test " + report.outPath()
                        + common + "test",
                "--unit=gitops-sync-activate-" + hash + "-boot --description=gitops-sync: boot " + report.outPath()
                        + common + "boot");
        assertThat(activations()).containsExactly("test " + report.outPath(), "boot " + report.outPath());
        assertThat(runner.commands()).as("nix-env is not an activation").anySatisfy(c ->
                assertThat(c.get(0)).isEqualTo("nix-env"));
    }

    /** What a kill looks like from inside: an Error no stage catches. */
    static final class ProcessDied extends Error {
        ProcessDied() {
            super("killed during the health gate (test)");
        }
    }

}
