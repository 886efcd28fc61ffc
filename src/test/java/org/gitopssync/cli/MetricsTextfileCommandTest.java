package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.gitopssync.cli.DocsTomlExamplesTest.Run;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Timer mode: {@code sync --once} through picocli writes {@code [metrics] textfile} for node-exporter. */
class MetricsTextfileCommandTest {

    @TempDir
    Path tmp;

    @Test
    void syncOnceWritesTheFamiliesToTheTextfileAndCountsCyclesFromTheStateStore() throws Exception {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        Path collector = Files.createDirectories(tmp.resolve("node-exporter"));
        Path textfile = collector.resolve("gitops-sync.prom");
        String config = new AgentFixture(tmp, repo).extra("""

                [metrics]
                textfile = "%s"
                """.formatted(textfile)).writeConfig().toString();

        Run first = DocsTomlExamplesTest.run("sync", "--once", "--config", config);
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        PrometheusText m = PrometheusText.parse(Files.readString(textfile));
        assertThat(m.value("gitops_sync_cycles_total{outcome=\"deployed\",trigger=\"manual\"}")).isEqualTo(1);
        assertThat(m.family("gitops_sync_deployment_info")).containsOnlyKeys("gitops_sync_deployment_info{commit=\""
                + repo.head() + "\",generation=\"1\",operation=\"switch\"}");
        assertThat(m.value("gitops_sync_last_success_timestamp_seconds")).isPositive();
        assertThat(Files.getPosixFilePermissions(textfile)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));

        // a second process: the cycle counters come from the state store, not from this run alone
        Run second = DocsTomlExamplesTest.run("sync", "--once", "--config", config);
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        m = PrometheusText.parse(Files.readString(textfile));
        assertThat(m.value("gitops_sync_cycles_total{outcome=\"deployed\",trigger=\"manual\"}")).isEqualTo(1);
        assertThat(m.value("gitops_sync_cycles_total{outcome=\"unchanged\",trigger=\"manual\"}")).isEqualTo(1);
        assertThat(m.value("gitops_sync_cycle_duration_seconds_count{stage=\"cycle\"}")).as("per process").isEqualTo(1);
        try (Stream<Path> files = Files.list(collector)) {
            assertThat(files).as("no temporary file is left behind").containsExactly(textfile);
        }
    }

    @Test
    void aTextfileThatIsNotAPromFileIsRefusedNamingTheKey() {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        String config = new AgentFixture(tmp, repo).extra("""

                [metrics]
                textfile = "%s"
                """.formatted(tmp.resolve("gitops-sync.txt"))).writeConfig().toString();

        Run sync = DocsTomlExamplesTest.run("sync", "--once", "--config", config);
        assertThat(sync.exitCode()).isNotZero();
        assertThat(sync.stderr()).contains("metrics.textfile", "*.prom").doesNotContain("Exception");
    }
}
