package org.gitopssync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gitopssync.state.CycleOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A builder releases only what built and went to the caches, and deploys only when it is one of its hosts. */
class FleetBuilderTest {

    @TempDir
    Path tmp;

    FleetTestbed fleet;

    @BeforeEach
    void setUp() {
        fleet = new FleetTestbed(tmp);
    }

    @Test
    void aBuilderListedAmongItsHostsDeploysItsOwnSystemAndReleasesIt() throws IOException {
        fleet.builder.hostname("demo").extra("\n[ci]\nhosts = [\"demo\"]\n");

        CycleReport report = fleet.builderCycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.DEPLOYED);
        assertThat(report.summary()).contains("released 1 host: demo");
        assertThat(fleet.record("demo", fleet.repo.head())).exists();
        assertThat(fleet.motd()).isEqualTo("Welcome to the gitops-sync demo host.\n");
        assertThat(fleet.builderCycle().outcome()).isEqualTo(CycleOutcome.UNCHANGED);
    }

    @Test
    void aBuilderThatIsNotAHostActivatesNothingAndTheNextPollIsUnchanged() {
        CycleReport report = fleet.builderCycle();

        assertThat(report.outcome()).as(report.summary()).isEqualTo(CycleOutcome.BUILT);
        assertThat(report.summary()).contains("for the fleet", "cache: ", "released 1 host: demo");
        assertThat(Files.exists(fleet.repo.root().resolve("activations.log"))).isFalse();
        assertThat(fleet.builderCycle().outcome()).isEqualTo(CycleOutcome.UNCHANGED);
    }

    @Test
    void aFailedCheckBlocksEveryRecord() {
        fleet.repo.edit("flake.nix", "[ -n \"$first\" ]", "echo the motd check fails on purpose >&2; exit 1");
        fleet.repo.commit("break a check");

        CycleReport report = fleet.builderCycle();

        assertThat(report.outcome()).isEqualTo(CycleOutcome.FAILED);
        assertThat(report.summary()).contains("1 check failed");
        assertThat(fleet.releases).doesNotExist();
    }
}
