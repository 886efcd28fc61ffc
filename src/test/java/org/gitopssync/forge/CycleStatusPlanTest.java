package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CycleStatusPlanTest {

    static final RepositoryCoordinates REPO = RepositoryCoordinates.of("acme", "infra");
    static final ReportedCommit COMMIT = new ReportedCommit(REPO, StatusReportersTest.SHA, "main");
    static final ReportedCommit OTHER = new ReportedCommit(REPO, "fedcba9876543210fedcba9876543210fedcba98", "main");

    final List<CommitStatus> posted = new ArrayList<>();
    final StatusSink sink = (repository, status) -> {
        assertThat(repository).isEqualTo(REPO);
        posted.add(status);
    };

    static BuildTally tally(int built, int cached, String... failed) {
        return new BuildTally(built, cached, 0, List.of(failed).stream()
                .map(a -> new BuildTally.AttributeFailure(a, null, null)).toList());
    }

    static List<String> lines(List<CommitStatus> statuses) {
        return statuses.stream().map(s -> s.context() + " " + s.state() + " " + s.description()).toList();
    }

    @Test
    void stagesPostTheirAggregateContexts() {
        CycleStatusPlan plan = new CycleStatusPlan(sink);
        plan.evaluation(COMMIT, StatusState.RUNNING, "evaluating", "https://ci.example/1");
        plan.buildProgress(COMMIT, tally(3, 1), null);
        plan.cache(COMMIT, StatusState.SUCCESS, "pushed 12 paths", null);
        plan.deploy(COMMIT, "web1", StatusState.SUCCESS, "switched", null);

        assertThat(lines(posted)).containsExactly(
                "gitops-sync/eval RUNNING evaluating",
                "gitops-sync/build RUNNING building: 3 built, 0 failed, 1 cached",
                "gitops-sync/cache SUCCESS pushed 12 paths",
                "gitops-sync/deploy/web1 SUCCESS switched");
        assertThat(posted).allSatisfy(s -> {
            assertThat(s.sha()).isEqualTo(COMMIT.sha());
            assertThat(s.ref()).isEqualTo("main");
        });
        assertThat(posted.get(0).targetUrl()).isEqualTo("https://ci.example/1");
    }

    @Test
    void finishedBuildPostsFailuresPerAttributeAndCountsInTheAggregate() {
        CycleStatusPlan plan = new CycleStatusPlan(sink);
        plan.buildFinished(COMMIT, new BuildTally(181, 17, 3, List.of(
                new BuildTally.AttributeFailure("checks.x86_64-linux.web1", "exit 1 in buildPhase", "https://ci.example/log/a"),
                new BuildTally.AttributeFailure("checks.x86_64-linux.db", null, null))), "https://ci.example/run");

        assertThat(lines(posted)).containsExactly(
                "gitops-sync/build/checks.x86_64-linux.web1 FAILURE exit 1 in buildPhase",
                "gitops-sync/build/checks.x86_64-linux.db FAILURE build failed",
                "gitops-sync/build FAILURE 181 built, 2 failed, 17 cached, 3 dependency failed");
        assertThat(posted.get(0).targetUrl()).isEqualTo("https://ci.example/log/a");
        assertThat(posted.get(1).targetUrl()).isEqualTo("https://ci.example/run");
    }

    @Test
    void successfulBuildPostsOnlyTheAggregate() {
        new CycleStatusPlan(sink).buildFinished(COMMIT, tally(200, 17), null);
        assertThat(lines(posted)).containsExactly("gitops-sync/build SUCCESS 200 built, 0 failed, 17 cached");
    }

    @Test
    void perAttributeContextsAreCapped() {
        CycleStatusPlan plan = new CycleStatusPlan(sink, 3);
        String[] failed = IntStream.range(0, 10).mapToObj(i -> "a" + i).toArray(String[]::new);
        plan.buildFinished(COMMIT, tally(5, 0, failed), null);

        assertThat(lines(posted)).containsExactly(
                "gitops-sync/build/a0 FAILURE build failed",
                "gitops-sync/build/a1 FAILURE build failed",
                "gitops-sync/build/a2 FAILURE build failed",
                "gitops-sync/build FAILURE 5 built, 10 failed, 0 cached (7 not listed)");
    }

    @Test
    void laterRunOfTheSameCommitFlipsFixedFailuresBackToSuccess() {
        CycleStatusPlan plan = new CycleStatusPlan(sink);
        plan.buildFinished(COMMIT, tally(10, 0, "web1", "db"), null);
        posted.clear();

        plan.buildFinished(COMMIT, tally(12, 0, "db"), null);

        assertThat(lines(posted)).containsExactly(
                "gitops-sync/build/web1 SUCCESS builds now",
                "gitops-sync/build/db FAILURE build failed",
                "gitops-sync/build FAILURE 12 built, 1 failed, 0 cached");
        assertThat(plan.standingFailures(COMMIT)).containsExactly("db");

        posted.clear();
        plan.buildFinished(COMMIT, tally(13, 0), null);
        assertThat(lines(posted)).containsExactly(
                "gitops-sync/build/db SUCCESS builds now",
                "gitops-sync/build SUCCESS 13 built, 0 failed, 0 cached");
        assertThat(plan.standingFailures(COMMIT)).isEmpty();
    }

    @Test
    void failuresOfOneCommitDoNotTouchAnother() {
        CycleStatusPlan plan = new CycleStatusPlan(sink);
        plan.buildFinished(COMMIT, tally(1, 0, "web1"), null);
        posted.clear();

        plan.buildFinished(OTHER, tally(2, 0), null);

        assertThat(lines(posted)).containsExactly("gitops-sync/build SUCCESS 2 built, 0 failed, 0 cached");
        assertThat(posted).allSatisfy(s -> assertThat(s.sha()).isEqualTo(OTHER.sha()));
        assertThat(plan.standingFailures(COMMIT)).containsExactly("web1");
    }

    @Test
    void capCountsContextsStillStandingFromEarlierRuns() {
        CycleStatusPlan plan = new CycleStatusPlan(sink, 2);
        plan.buildFinished(COMMIT, tally(1, 0, "a", "b"), null);
        posted.clear();

        plan.buildFinished(COMMIT, tally(1, 0, "a", "b", "c"), null);

        assertThat(lines(posted)).containsExactly(
                "gitops-sync/build/a FAILURE build failed",
                "gitops-sync/build/b FAILURE build failed",
                "gitops-sync/build FAILURE 1 built, 3 failed, 0 cached (1 not listed)");
    }

    @Test
    void contextNamesStaySafeAndBounded() {
        assertThat(StatusContexts.deploy("web 1\n")).isEqualTo("gitops-sync/deploy/web_1_");
        assertThat(StatusContexts.buildAttribute("x".repeat(400))).hasSize(255).startsWith("gitops-sync/build/x");
    }
}
