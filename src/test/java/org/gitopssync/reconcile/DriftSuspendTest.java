package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.config.Settings;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.StateStore;
import org.gitopssync.state.Suspension;
import org.gitopssync.state.Suspensions;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host switched by hand (drift), and a suspended agent: whole cycles with real git and nix. */
class DriftSuspendTest {

    @TempDir
    Path tmp;

    DemoFlakeRepo repo;
    AgentFixture fixture;
    RecordingCommandRunner runner;
    Map<String, String> configEnv = Map.of();

    @BeforeEach
    void setUp() {
        repo = DemoFlakeRepo.create(tmp);
        fixture = new AgentFixture(tmp, repo);
        runner = new RecordingCommandRunner();
    }

    private Settings settings() {
        return fixture.load(configEnv).settings();
    }

    private CycleReport cycle() {
        try (Agent agent = Agent.open(settings(), Map.of(), runner, Clock.systemUTC())) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }

    private Path currentSystem() {
        return repo.root().resolve("run/current-system");
    }

    /** What `nixos-rebuild switch` run by hand leaves: the running system is one the agent never built. */
    private Path switchByHand() throws IOException {
        Path hand = Files.createDirectories(tmp.resolve("hand-built-system"));
        Files.delete(currentSystem());
        Files.createSymbolicLink(currentSystem(), hand);
        return hand.toRealPath();
    }

    private List<String> activations() throws IOException {
        return Files.readAllLines(repo.root().resolve("activations.log"));
    }

    private String motd() throws IOException {
        return Files.readString(repo.root().resolve("etc/motd"));
    }

    private HostStatus status() {
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            return HostStatus.read(settings(), store, 5);
        }
    }

    @Test
    void aSystemSwitchedByHandSuspendsTheAgentWhichBuildsButDeploysNothingUntilResumed() throws IOException {
        CycleReport first = cycle();
        assertThat(first.outcome()).as(first.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        Path hand = switchByHand();
        String next = repo.commitMotd("Pushed while someone worked by hand.");

        CycleReport drifted = cycle();

        assertThat(drifted.outcome()).as(drifted.summary()).isEqualTo(CycleOutcome.SUSPENDED);
        assertThat(drifted.commit()).isEqualTo(next);
        assertThat(drifted.outPath()).as("still fetched and built").isNotNull();
        assertThat(drifted.summary()).contains("drift", hand.toString(), first.outPath(), "gitops-sync resume");
        assertThat(activations()).as("nothing activated").hasSize(1);
        assertThat(runner.ran("nix-env")).isTrue();
        assertThat(currentSystem().toRealPath()).isEqualTo(hand);
        assertThat(new SystemProfile(fixture.profile(), currentSystem()).current()).get()
                .extracting(SystemProfile.Generation::number).isEqualTo(1);
        Suspension why = status().suspension();
        assertThat(why).isNotNull();
        assertThat(why.byDrift()).isTrue();
        assertThat(why.suspendedBy()).contains("drift");
        assertThat(why.expectedSystem()).isEqualTo(first.outPath());
        assertThat(why.runningSystem()).isEqualTo(hand.toString());

        runner.clear();
        CycleReport again = cycle();
        assertThat(again.outcome()).as("no rebuild per poll while suspended: " + again.summary())
                .isEqualTo(CycleOutcome.UNCHANGED);
        assertThat(runner.commands()).isEmpty();

        try (StateStore store = StateStore.open(fixture.stateDir())) {
            new Suspensions(store).resume(hand.toString(), Instant.now());
        }
        CycleReport resumed = cycle();

        assertThat(resumed.outcome()).as(resumed.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(resumed.commit()).isEqualTo(next);
        assertThat(motd()).isEqualTo("Pushed while someone worked by hand.\n");
        assertThat(status().suspension()).isNull();
    }

    @Test
    void resumeWithoutANewCommitReplacesTheHandMadeSystemWithTheBranchHead() throws IOException {
        CycleReport first = cycle();
        Path hand = switchByHand();
        CycleReport drifted = cycle();
        assertThat(drifted.outcome()).as("the branch did not move: " + drifted.summary())
                .isEqualTo(CycleOutcome.UNCHANGED);
        assertThat(status().suspension()).as("drift is noticed even when there is nothing new to deploy").isNotNull();

        try (StateStore store = StateStore.open(fixture.stateDir())) {
            new Suspensions(store).resume(hand.toString(), Instant.now());
        }
        CycleReport resumed = cycle();

        assertThat(resumed.outcome()).as(resumed.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(currentSystem().toRealPath().toString()).isEqualTo(first.outPath());
        assertThat(status().suspension()).as("the accepted hand-made system is not drift again").isNull();
    }

    @Test
    void onDriftDeployCarriesOnAndReplacesTheHandMadeSystem() throws IOException {
        configEnv = Map.of("GITOPS_DEPLOY_ON_DRIFT", "deploy");
        cycle();
        switchByHand();
        repo.commitMotd("Deploy over the drift.");

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(motd()).isEqualTo("Deploy over the drift.\n");
        assertThat(currentSystem().toRealPath().toString()).isEqualTo(report.outPath());
        assertThat(status().suspension()).isNull();
        assertThat(activations()).hasSize(2);
    }

    @Test
    void aSuspendedAgentFetchesAndBuildsButInstallsNoSecretsAndActivatesNothing() throws IOException {
        cycle();
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            new Suspensions(store).suspend(new Suspension("alice (uid 1000)", Instant.now(), "kernel testing", null, null));
        }
        String next = repo.commitMotd("Not yet.");
        List<String> secretsBefore = listSecrets();

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.SUSPENDED);
        assertThat(report.commit()).as("fetched").isEqualTo(next);
        assertThat(report.summary()).contains("alice (uid 1000)", "kernel testing");
        assertThat(activations()).hasSize(1);
        assertThat(listSecrets()).as("no new secrets generation").isEqualTo(secretsBefore);
        assertThat(status().suspension().reason()).isEqualTo("kernel testing");
    }

    private List<String> listSecrets() throws IOException {
        if (!Files.isDirectory(fixture.secretsRoot())) {
            return List.of();
        }
        try (var walk = Files.walk(fixture.secretsRoot())) {
            return walk.map(p -> fixture.secretsRoot().relativize(p).toString()).sorted().toList();
        }
    }
}
