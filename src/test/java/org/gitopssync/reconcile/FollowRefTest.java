package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.deploy.SystemProfile;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.GitCli;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code repository.ref}: a host follows a branch or a tag (lightweight or annotated, written {@code refs/tags/v1}
 * or {@code v1}), with real git (tags made by the {@code git} CLI, read by JGit) and real nix builds.
 */
class FollowRefTest {

    private static final String FIRST_MOTD = "Welcome to the gitops-sync demo host.\n";

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

    private String git(String... args) {
        return GitCli.run(repo.dir(), args);
    }

    private String motd() throws IOException {
        return Files.readString(repo.root().resolve("etc/motd"));
    }

    private List<String> activations() throws IOException {
        return Files.readAllLines(repo.root().resolve("activations.log"));
    }

    private int generation() {
        return new SystemProfile(fixture.profile(), repo.root().resolve("run/current-system")).current().orElseThrow()
                .number();
    }

    @Test
    void aBranchWrittenAsRefOrRefsHeadsIsFollowedLikeBranch() {
        fixture.ref("refs/heads/main");
        CycleReport report = cycle();
        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.commit()).isEqualTo(repo.head());

        String next = repo.commitMotd("Second edition.");
        fixture.ref("main");
        report = cycle();
        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.commit()).isEqualTo(next);
        assertThat(cycle().summary()).startsWith("main is still at " + next.substring(0, 12));
    }

    @Test
    void aLightweightTagDeploysItsCommitNotTheBranchHead() throws IOException {
        String tagged = repo.head();
        git("tag", "v1");
        repo.commitMotd("Not released yet.");
        fixture.ref("refs/tags/v1");

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.commit()).isEqualTo(tagged);
        assertThat(motd()).isEqualTo(FIRST_MOTD);
        CycleReport again = cycle();
        assertThat(again.outcome()).isEqualTo(CycleOutcome.UNCHANGED);
        assertThat(again.summary()).startsWith("tag v1 is still at " + tagged.substring(0, 12));
    }

    @Test
    void anAnnotatedTagByItsBareNameIsPeeledAndDeployedAgainWhenItMovesForward() throws IOException {
        String first = repo.head();
        git("tag", "-a", "v1", "-m", "release 1");
        assertThat(git("rev-parse", "v1")).as("an annotated tag is its own object").isNotEqualTo(first);
        fixture.ref("v1");

        CycleReport report = cycle();
        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.commit()).isEqualTo(first);
        assertThat(cycle().outcome()).as("the peeled commit is what was seen").isEqualTo(CycleOutcome.UNCHANGED);

        String second = repo.commitMotd("Release two.");
        git("tag", "-f", "-a", "v1", "-m", "release 2");
        report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.commit()).isEqualTo(second);
        assertThat(motd()).isEqualTo("Release two.\n");
        assertThat(generation()).isEqualTo(2);
    }

    @Test
    void aTagMovedToACommitThatDoesNotDescendIsRefusedAndNothingChanges() throws IOException {
        String released = repo.head();
        git("tag", "-a", "v1", "-m", "release 1");
        fixture.ref("refs/tags/v1");
        assertThat(cycle().outcome()).isEqualTo(CycleOutcome.DEPLOYED);

        // a commit beside the released one: same parent (none), other history
        git("checkout", "-q", "--orphan", "elsewhere");
        repo.edit("flake.nix", "Welcome to the gitops-sync demo host.", "Unrelated history.");
        String unrelated = repo.commit("unrelated");
        git("tag", "-f", "-a", "v1", "-m", "moved", unrelated);

        CycleReport report = cycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.REFUSED);
        assertThat(report.summary()).contains("tag v1", unrelated.substring(0, 12), released.substring(0, 12),
                "gitops-sync reset", "allow_force_push");
        assertThat(motd()).isEqualTo(FIRST_MOTD);
        assertThat(generation()).isEqualTo(1);
        assertThat(activations()).hasSize(1);
        assertThat(cycle().outcome()).as("still refused on the next poll").isEqualTo(CycleOutcome.REFUSED);
    }

    @Test
    void aBareNameThatIsBothABranchAndATagIsRefusedUntilTheRefSaysWhich() throws IOException {
        String tagged = repo.head();
        git("tag", "v1");
        git("branch", "v1");
        fixture.ref("v1");

        CycleReport report = cycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.summary()).contains("\"v1\" is both a branch and a tag", "refs/heads/v1 or refs/tags/v1");
        assertThat(Files.exists(repo.root().resolve("activations.log"))).as("nothing activated").isFalse();

        fixture.ref("refs/tags/v1");
        report = cycle();
        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.commit()).isEqualTo(tagged);
    }

    @Test
    void aMissingTagIsNamed() {
        fixture.ref("refs/tags/v9");
        CycleReport report = cycle();
        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.summary()).isEqualTo("tag v9 does not exist in " + repo.url());
    }
}
