package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.state.CycleLock;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.DeploymentRecord;
import org.gitopssync.state.LockHeldException;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole cycles against a real git repository and real nix, activating with the profile method. */
class ReconcilerTest {

    @TempDir
    Path tmp;

    DemoFlakeRepo repo;
    AgentFixture fixture;
    RecordingCommandRunner runner;

    @BeforeEach
    void setUp() {
        repo = DemoFlakeRepo.create(tmp);
        fixture = new AgentFixture(tmp, repo);
        runner = new RecordingCommandRunner();
    }

    private CycleReport cycle() {
        try (Agent agent = fixture.open(runner)) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }

    private SystemProfile profile() {
        return new SystemProfile(fixture.profile(), repo.root().resolve("run/current-system"));
    }

    private String motd() throws IOException {
        return Files.readString(repo.root().resolve("etc/motd"));
    }

    private List<String> activations() throws IOException {
        return Files.readAllLines(repo.root().resolve("activations.log"));
    }

    @Test
    void firstCycleDeploysTheBranchHeadAsGenerationOne() throws IOException {
        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.commit()).isEqualTo(repo.head());
        assertThat(report.generation()).isEqualTo(1);
        assertThat(profile().current()).get().extracting(SystemProfile.Generation::outPath).isEqualTo(report.outPath());
        assertThat(profile().running()).contains(report.outPath());
        assertThat(motd()).isEqualTo("Welcome to the gitops-sync demo host.\n");
        assertThat(activations()).containsExactly("switch " + report.outPath());
        // the build's own logs live under logs/ci/<run>/; the cycle log gets the CI summary
        assertThat(Files.readString(report.log())).contains("ci run ", "toplevel: built " + report.outPath(),
                "nix-env", "switch-to-configuration");
    }

    @Test
    void unchangedRemoteIsANoOpWithoutFetchOrEvaluation() {
        cycle();
        runner.clear();

        CycleReport second = cycle();

        assertThat(second.outcome()).isEqualTo(CycleOutcome.UNCHANGED);
        assertThat(second.summary()).contains("main is still at " + repo.head().substring(0, 12), "nothing to do");
        assertThat(runner.commands()).as("no nix, no activation").isEmpty();
    }

    @Test
    void newCommitDeploysANewGeneration() throws IOException {
        CycleReport first = cycle();
        String sha = repo.commitMotd("Second edition.");

        CycleReport second = cycle();

        assertThat(second.outcome()).as(second.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(second.commit()).isEqualTo(sha);
        assertThat(second.generation()).isEqualTo(2);
        assertThat(second.outPath()).isNotEqualTo(first.outPath());
        assertThat(motd()).isEqualTo("Second edition.\n");
        assertThat(profile().running()).contains(second.outPath());
        assertThat(activations()).hasSize(2);
    }

    @Test
    void commitThatDoesNotChangeTheSystemIsUpToDateWithoutActivation() throws IOException {
        cycle();
        repo.write("README.md", "docs only\n").commit("docs only");
        runner.clear();

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.UP_TO_DATE);
        assertThat(runner.ran("nix")).isTrue();
        assertThat(runner.ran("nix-env")).isFalse();
        assertThat(activations()).hasSize(1);
    }

    @Test
    void forcePushIsRefusedNamingBothCommitsAndTheSystemIsUntouched() throws IOException {
        String deployed = repo.head();
        cycle();
        String orphan = repo.commitMotd("will be rewritten");
        repo.resetHard(deployed + "~0");
        repo.edit("flake.nix", "Welcome to the gitops-sync demo host.", "Rewritten history.");
        GitRewrite.amend(repo);
        String rewritten = repo.head();
        assertThat(rewritten).isNotEqualTo(orphan);

        CycleReport report = cycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.REFUSED);
        assertThat(report.summary()).contains(rewritten.substring(0, 12), deployed.substring(0, 12),
                "gitops-sync reset --config " + fixture.writeConfig().toAbsolutePath() + " --to " + rewritten,
                "allow_force_push");
        assertThat(profile().current()).get().extracting(SystemProfile.Generation::number).isEqualTo(1);
        assertThat(motd()).isEqualTo("Welcome to the gitops-sync demo host.\n");
        assertThat(activations()).hasSize(1);

        CycleReport again = cycle();
        assertThat(again.outcome()).as("still refused on the next poll").isEqualTo(CycleOutcome.REFUSED);
    }

    @Test
    void resetAcceptsTheRewrittenBranchAndTheNextCycleDeploysIt() throws IOException {
        String deployed = repo.head();
        cycle();
        repo.edit("flake.nix", "Welcome to the gitops-sync demo host.", "Rewritten history.");
        GitRewrite.amend(repo);
        String rewritten = repo.head();
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.REFUSED);

        try (Agent agent = fixture.open(runner)) {
            assertThat(agent.reconciler().reset(rewritten.substring(0, 10)).sha()).isEqualTo(rewritten);
        }
        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.commit()).isEqualTo(rewritten).isNotEqualTo(deployed);
        assertThat(motd()).isEqualTo("Rewritten history.\n");

        // once deployed, the rewritten commit is the base: rewinding again is refused
        repo.resetHard(deployed);
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.REFUSED);
    }

    @Test
    void allowForcePushDeploysARewrittenBranch() throws IOException {
        cycle();
        repo.edit("flake.nix", "Welcome to the gitops-sync demo host.", "Forced.");
        GitRewrite.amend(repo);
        fixture.repositoryKeys("allow_force_push = true");

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(motd()).isEqualTo("Forced.\n");
    }

    @Test
    void failedBuildChangesNothingAndNamesTheCommit() throws IOException {
        CycleReport first = cycle();
        repo.edit("flake.nix", "args = [ \"-c\" \"printf '%s' \\\"$text\\\" > $out\" ];",
                "args = [ \"-c\" \"echo this build fails on purpose >&2; exit 3\" ];");
        String broken = repo.commit("break the packages");

        CycleReport report = cycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.stage()).isEqualTo(Stage.BUILD);
        assertThat(report.commit()).isEqualTo(broken);
        assertThat(Files.readString(report.log())).contains("this build fails on purpose");
        assertThat(profile().current()).get().extracting(SystemProfile.Generation::outPath).isEqualTo(first.outPath());
        assertThat(profile().running()).contains(first.outPath());
        assertThat(activations()).hasSize(1);
        assertThat(cycle().outcome()).as("the same broken commit is not rebuilt on every poll")
                .isEqualTo(CycleOutcome.UNCHANGED);
    }

    @Test
    void syncForceRebuildsTheFailedBuildOfItsCommitInsteadOfSkippingTheCachedFailure() throws IOException {
        // Builders run as nixbld users: they must be able to reach the marker file the test creates.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        repo.edit("flake.nix", "args = [ \"-c\" \"printf '%s' \\\"$text\\\" > $out\" ];",
                "args = [ \"-c\" \"[ -e " + shared + "/disk-freed ] || { echo no space left >&2; exit 3; };"
                        + " printf '%s' \\\"$text\\\" > $out\" ];");
        String commit = repo.commit("packages that only build once the disk is freed");

        CycleReport failed = cycle();
        assertThat(failed.outcome()).as(failed.summary()).isEqualTo(CycleOutcome.FAILED);
        assertThat(failed.stage()).isEqualTo(Stage.BUILD);
        Files.writeString(shared.resolve("disk-freed"), "yes\n");
        assertThat(cycle().outcome()).as("a poll does not rebuild the failed commit").isEqualTo(CycleOutcome.UNCHANGED);

        CycleReport forced;
        try (Agent agent = fixture.open(runner)) {
            forced = agent.reconciler().run(new CycleRequest(Trigger.MANUAL, false, true), Cancellation.none());
        }

        assertThat(forced.outcome()).as(forced.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(forced.commit()).isEqualTo(commit);
        assertThat(motd()).isEqualTo("Welcome to the gitops-sync demo host.\n");
    }

    @Test
    void failedActivationRollsBackToThePreviousGeneration() throws IOException {
        CycleReport first = cycle();
        repo.write("FAIL_ACTIVATION", "the new system refuses to start\n");
        repo.commitMotd("Doomed.");

        CycleReport report = cycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.stage()).isEqualTo(Stage.DEPLOY);
        assertThat(report.summary()).contains("switch-to-configuration switch failed", "rolled back to generation 1");
        assertThat(profile().current()).get().satisfies(g -> {
            assertThat(g.number()).isEqualTo(1);
            assertThat(g.outPath()).isEqualTo(first.outPath());
        });
        assertThat(profile().running()).contains(first.outPath());
        assertThat(motd()).isEqualTo("Welcome to the gitops-sync demo host.\n");
        try (Agent agent = fixture.open(runner)) {
            DeploymentRecord last = agent.store().recentDeployments(1).get(0);
            assertThat(last.status()).isEqualTo(DeploymentRecord.Status.ROLLED_BACK);
            assertThat(last.error()).contains("the new system refuses to start");
            assertThat(agent.store().lastSuccessfulDeployment()).get().extracting(DeploymentRecord::commit)
                    .isEqualTo(first.commit());
        }
    }

    @Test
    void aSecondCycleWhileOneHoldsTheLockIsRejectedNamingThePid() {
        try (CycleLock held = CycleLock.acquire(fixture.stateDir(), "test holder")) {
            assertThatThrownBy(this::cycle)
                    .isInstanceOf(LockHeldException.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.DEPLOYED);
    }

    @Test
    void dryRunBuildsButNeverActivates() throws IOException {
        try (Agent agent = fixture.open(runner)) {
            CycleReport report = agent.reconciler().run(new CycleRequest(Trigger.MANUAL, true, false),
                    Cancellation.none());
            assertThat(report.outcome()).isEqualTo(CycleOutcome.BUILT);
            assertThat(report.summary()).contains("dry run", "would switch");
        }
        assertThat(profile().current()).isEmpty();
        assertThat(Files.exists(repo.root().resolve("activations.log"))).isFalse();
        assertThat(cycle().outcome()).as("a dry run does not count as handled").isEqualTo(CycleOutcome.DEPLOYED);
    }
}
