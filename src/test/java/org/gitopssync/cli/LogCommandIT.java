package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gitopssync.testing.AppProcess;
import org.gitopssync.testing.AppProcess.Result;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `gitops-sync log [<cycle>]` after real cycles of the packaged program: the latest by default, one by id, a clear error for an unknown id. */
class LogCommandIT {

    @TempDir
    Path tmp;

    private Result run(String... args) {
        return AppProcess.run(tmp, Map.of(), args);
    }

    @Test
    void printsACyclesStageLinesAndCommandOutputAndNamesAnUnknownCycle() {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        String config = new AgentFixture(tmp, repo).writeConfig().toString();
        assertThat(run("sync", "--once", "--config", config).exitCode()).isZero();
        assertThat(run("sync", "--once", "--config", config).exitCode()).isZero();

        Result first = run("log", "#1", "--config", config);
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).startsWith("cycle #1 (manual, ").contains("deployed in deploy at " + repo.head());
        assertThat(first.stdout()).as("the cycle's own stage lines").contains("INFO  cycle 1: source: main at "
                + repo.head().substring(0, 12), "cycle 1: secrets: generation 1", "cycle 1: deployed");
        assertThat(first.stdout()).as("the output of what it ran").contains("ci run 1 of " + repo.head().substring(0, 12));
        assertThat(first.stdout()).doesNotContain("cycle 2:");

        Result latest = run("log", "--config", config);
        assertThat(latest.stdout()).startsWith("cycle #2 (manual, ").contains("unchanged", "cycle 2: unchanged");

        Result unknown = run("log", "99", "--config", config);
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr().strip()).isEqualTo("gitops-sync: no cycle #99 in " + tmp.resolve("state")
                + " (the latest is #2)");
        Result notANumber = run("log", "latest", "--config", config);
        assertThat(notANumber.stderr()).contains("\"latest\" is not a cycle number").doesNotContain("Exception");
    }

    @Test
    void aCycleTheHistoryNoLongerKeepsIsSaidToBeGoneWithItsLog() throws IOException {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        String config = new AgentFixture(tmp, repo).writeConfig().toString();
        assertThat(run("sync", "--once", "--config", config).exitCode()).isZero();
        assertThat(run("sync", "--once", "--config", config).exitCode()).isZero();
        Path pollLog = tmp.resolve("state/logs/cycle-2.log");
        assertThat(pollLog).content().contains("cycle 2: unchanged");

        config = new AgentFixture(tmp, repo).extra("[history]\nkeep_unchanged = \"0s\"\n").writeConfig().toString();
        // the first two runs passed an hour's gate already: this run comes as if an hour later
        Files.delete(tmp.resolve("state/history-pass"));
        assertThat(run("sync", "--once", "--config", config).exitCode()).isZero();

        assertThat(pollLog).doesNotExist();
        Result gone = run("log", "2", "--config", config);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.stderr().strip()).isEqualTo("gitops-sync: cycle #2 is no longer kept: [history] removes"
                + " finished cycles after keep (90d), and polls that found nothing to do after keep_unchanged (0s);"
                + " the latest is #3");
        assertThat(run("log", "1", "--config", config).stdout()).as("the deployment stays").contains("cycle 1: deployed");
    }
}
