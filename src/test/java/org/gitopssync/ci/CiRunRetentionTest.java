package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [history] keep} for CI runs, on real SQLite and real files: an old run goes with its results and build logs,
 * unless something still reads it.
 */
class CiRunRetentionTest {

    private static final Instant NOW = Instant.now();
    private static final Instant KEEP_AFTER = NOW.minus(Duration.ofDays(90));

    @TempDir
    Path tmp;

    /** A finished run of {@code branch} started {@code daysAgo}, with one result and a build log. */
    private static long run(CiTestbed bed, CiResultStore runs, String branch, int daysAgo) throws IOException {
        return run(bed, runs, branch, daysAgo, CiTarget.check("checks", "x86_64-linux", "hello"));
    }

    private static long run(CiTestbed bed, CiResultStore runs, String branch, int daysAgo, CiTarget target)
            throws IOException {
        Instant started = NOW.minus(Duration.ofDays(daysAgo));
        long id = runs.startRun(branch, "c0ffee" + daysAgo, "git+file:///nowhere", started);
        Path log = bed.stateDir.resolve("logs/ci/" + id + "/hello.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "building hello\n");
        runs.finishRun(id, "succeeded", "1 built", started.plusSeconds(30), List.of(new AttributeResult(
                target, "/nix/store/" + "a".repeat(32) + "-hello.drv",
                Map.of("out", "/nix/store/" + Long.toString(id).repeat(32).substring(0, 32) + "-hello"), CiStatus.BUILT,
                Duration.ofSeconds(3), log, null, List.of())));
        return id;
    }

    private static Path logs(CiTestbed bed, long run) {
        return bed.stateDir.resolve("logs/ci/" + run);
    }

    @Test
    void anOldRunGoesWithItsResultsAndLogsUnlessSomethingStillReadsIt() throws IOException {
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResultStore runs = new CiResultStore(bed.store);
            long plain = run(bed, runs, "main", 200);
            long failed = run(bed, runs, "main", 200);
            runs.rememberFailure(new CachedFailure("/nix/store/" + "c".repeat(32) + "-broken.drv", "checks.x86_64-linux.broken",
                    "c0ffee200", failed, CiStatus.FAILED, NOW.minus(Duration.ofDays(200)),
                    logs(bed, failed).resolve("broken.log"), "exit 1"));
            long remembered = run(bed, runs, "main", 200);
            new RememberedEvaluations(bed.store).remember(new EvaluationKey("c0ffee200", "checks", "nix 2.8.0",
                    "nix eval", Map.of(), null), remembered, List.of(new EvaluatedAttribute(
                            CiTarget.check("checks", "x86_64-linux", "hello"), "/nix/store/" + "a".repeat(32) + "-hello.drv",
                            Map.of("out", "/nix/store/" + "b".repeat(32) + "-hello"))), NOW.minus(Duration.ofDays(200)));
            long onlyOfItsPullRequest = run(bed, runs, "pull/7", 200);
            long olderFeature = run(bed, runs, "feature", 200);
            long newestFeature = run(bed, runs, "feature", 150);
            long stillRunning = runs.startRun("main", "c0ffee", "git+file:///nowhere", NOW.minus(Duration.ofDays(300)));
            List<Long> recent = new ArrayList<>();
            for (int i = 0; i < CiEngine.KEEP_ROOTED_RUNS; i++) {
                recent.add(run(bed, runs, "main", 1));
            }
            long newestButOld = run(bed, runs, "main", 100);

            assertThat(bed.engine.removeRunsBefore(KEEP_AFTER, 100)).isEqualTo(2);

            for (long gone : List.of(plain, olderFeature)) {
                assertThat(runs.run(gone)).as("run %d", gone).isEmpty();
                assertThat(runs.results(gone)).isEmpty();
                assertThat(logs(bed, gone)).doesNotExist();
            }
            for (long kept : List.of(failed, remembered, onlyOfItsPullRequest, newestFeature, stillRunning,
                    newestButOld)) {
                assertThat(runs.run(kept)).as("run %d", kept).isPresent();
            }
            assertThat(logs(bed, failed)).as("the cached failure's log").exists();
            assertThat(runs.results(remembered)).hasSize(1);
            assertThat(bed.engine.removeRunsBefore(KEEP_AFTER, 100)).isZero();
        }
    }

    @Test
    void theRunHoldingABranchsNewestSystemOfAHostStaysForThePullRequestPlan() throws IOException {
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResultStore runs = new CiResultStore(bed.store);
            long olderSystem = run(bed, runs, "main", 201, CiTarget.system("web"));
            long newestSystem = run(bed, runs, "main", 200, CiTarget.system("web"));
            Map<String, String> baseline = runs.latestSystems("main");
            for (int i = 0; i <= CiEngine.KEEP_ROOTED_RUNS; i++) {
                run(bed, runs, "main", 1);
            }

            assertThat(bed.engine.removeRunsBefore(KEEP_AFTER, 100)).isEqualTo(1);

            assertThat(runs.run(olderSystem)).isEmpty();
            assertThat(runs.run(newestSystem)).isPresent();
            assertThat(runs.latestSystems("main")).isEqualTo(baseline).containsOnlyKeys("web");
        }
    }

    @Test
    void theNewestRunsKeepTheirRootsAndStayHoweverOld() throws IOException {
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResultStore runs = new CiResultStore(bed.store);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < CiEngine.KEEP_ROOTED_RUNS + 2; i++) {
                ids.add(run(bed, runs, "main", 400 - i));
            }
            assertThat(bed.engine.removeRunsBefore(KEEP_AFTER, 100)).isEqualTo(2);
            assertThat(runs.run(ids.get(0))).isEmpty();
            assertThat(runs.run(ids.get(1))).isEmpty();
            assertThat(runs.recentRuns(100)).hasSize(CiEngine.KEEP_ROOTED_RUNS);
        }
    }
}
