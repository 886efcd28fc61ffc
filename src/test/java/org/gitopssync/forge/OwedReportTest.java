package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.reconcile.CycleObserver;
import org.gitopssync.reconcile.CycleReport;
import org.gitopssync.reconcile.CycleRequest;
import org.gitopssync.reconcile.Trigger;
import org.gitopssync.state.CycleOutcome;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.MutableClock;
import org.gitopssync.testing.Processes;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process stops after a cycle is recorded and before its observers heard how it ended (a kill at that point):
 * the next run, finding the branch unchanged, still delivers the final statuses and runs the event's hooks.
 */
class OwedReportTest {

    private static final String TOKEN = "ghp_owed-report-test-token";
    private static final String DEPLOY = "gitops-sync/deploy/demo";

    @TempDir
    Path tmp;

    final MutableClock clock = MutableClock.atDefault();
    GitHubApiDouble github;
    DemoFlakeRepo repo;
    AgentFixture fixture;
    Path hookLog;

    /** What a SIGKILL is to the cycle: nothing after this point of the process runs. */
    static final class ProcessStopped extends Error {
        ProcessStopped() {
            super("stopped between recording the cycle and telling its observers");
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        github = new GitHubApiDouble(clock, TOKEN);
        repo = DemoFlakeRepo.create(tmp);
        hookLog = tmp.resolve("hook.log");
        Path hook = tmp.resolve("bin/record-event");
        Files.createDirectories(hook.getParent());
        Files.writeString(hook, "#!/bin/sh\necho \"$GITOPS_EVENT $GITOPS_COMMIT\" >> \"$1\"\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        fixture = new AgentFixture(tmp, repo).extra("""
                [[forges]]
                type = "github"
                api_url = "%s"
                repository = "acme/fleet"
                credentials = { env = "GH_TOKEN" }

                [[hooks]]
                on = ["deployed"]
                command = [%s, %s]
                """.formatted(github.baseUrl(), AgentFixture.quote(hook.toString()),
                AgentFixture.quote(hookLog.toString())));
    }

    @AfterEach
    void tearDown() {
        github.close();
    }

    private Agent agent(List<CycleObserver> first) {
        return Agent.open(fixture.load(Map.of()).settings(), Map.of("GH_TOKEN", TOKEN, "PATH", System.getenv("PATH")),
                new RecordingCommandRunner(), Clock.systemUTC(), first);
    }

    private Map<String, String> finalStatuses(String sha) {
        Map<String, String> out = new LinkedHashMap<>();
        for (GitHubApiDouble.Posted p : github.statuses()) {
            if (p.sha().equals(sha)) {
                out.put(p.field("context"), p.field("state") + ": " + p.field("description"));
            }
        }
        return out;
    }

    @Test
    void aCycleRecordedButNotReportedIsReportedByTheNextRun() throws Exception {
        CycleObserver stop = new CycleObserver() {
            @Override
            public void finished(CycleReport report) {
                throw new ProcessStopped();
            }
        };
        try (Agent killed = agent(List.of(stop))) {
            assertThatThrownBy(() -> killed.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none()))
                    .isInstanceOf(ProcessStopped.class);
            assertThat(killed.store().recentCycles(1).get(0).outcome()).isEqualTo(CycleOutcome.DEPLOYED);
        }
        String head = repo.head();
        assertThat(finalStatuses(head)).as("the dead process never reported the outcome")
                .containsEntry(DEPLOY, "pending: waiting for the build");
        assertThat(hookLog).doesNotExist();

        CycleReport rerun;
        try (Agent next = agent(List.of())) {
            rerun = next.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
            assertThat(Processes.await(() -> "success: deployed as generation 1".equals(finalStatuses(head).get(DEPLOY))))
                    .as("deploy status after the rerun: " + finalStatuses(head)).isTrue();
        }
        assertThat(rerun.outcome()).as(rerun.summary()).isEqualTo(CycleOutcome.UNCHANGED);
        assertThat(finalStatuses(head)).containsKeys("gitops-sync/eval", "gitops-sync/build", DEPLOY)
                .allSatisfy((context, status) -> assertThat(status).startsWith("success: "));
        assertThat(Files.readAllLines(hookLog)).as("the deployed hook runs once the outcome is reported")
                .containsExactly("deployed " + head);
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            assertThat(store.owedNotices()).as("nothing is owed any more").isEmpty();
        }
    }

    @Test
    void aReportedCycleIsNotReportedAgain() throws Exception {
        String head = repo.head();
        try (Agent first = agent(List.of())) {
            assertThat(first.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none()).outcome())
                    .isEqualTo(CycleOutcome.DEPLOYED);
            assertThat(first.store().owedNotices()).isEmpty();
        }
        try (Agent next = agent(List.of())) {
            assertThat(next.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none()).outcome())
                    .isEqualTo(CycleOutcome.UNCHANGED);
        }
        assertThat(Files.readAllLines(hookLog)).containsExactly("deployed " + head);
    }

    @Test
    void aSecretsFailureRecordedButNotReportedClosesTheEvalAndBuildStatusesItLeftPending() throws Exception {
        Path wrongKey = tmp.resolve("wrong-age.key");
        Process keygen = new ProcessBuilder("age-keygen", "-o", wrongKey.toString()).redirectErrorStream(true).start();
        assertThat(keygen.waitFor()).isZero();
        fixture.secrets("age_key_files", "[" + AgentFixture.quote(wrongKey.toString()) + "]");
        CycleObserver stop = new CycleObserver() {
            @Override
            public void finished(CycleReport report) {
                throw new ProcessStopped();
            }
        };
        try (Agent killed = agent(List.of(stop))) {
            assertThatThrownBy(() -> killed.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none()))
                    .isInstanceOf(ProcessStopped.class);
            assertThat(killed.store().recentCycles(1).get(0).outcome()).isEqualTo(CycleOutcome.FAILED);
        }
        String head = repo.head();
        assertThat(finalStatuses(head)).as("the dead process left these pending")
                .containsEntry("gitops-sync/eval", "pending: evaluating").containsEntry(DEPLOY, "pending: waiting for the build");

        // the branch moves on, so the next cycle works on another commit and posts nothing more for this one
        String newer = repo.commitMotd("a newer commit");
        try (Agent next = agent(List.of())) {
            next.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
            assertThat(Processes.await(() -> finalStatuses(head).values().stream().noneMatch(s -> s.startsWith("pending"))
                    && finalStatuses(newer).containsKey(DEPLOY)))
                    .as("statuses after the rerun: " + finalStatuses(head)).isTrue();
        }
        assertThat(finalStatuses(head)).containsKeys("gitops-sync/eval", "gitops-sync/build", DEPLOY)
                .containsEntry(DEPLOY, "failure: not deployed: secrets failed")
                .hasEntrySatisfying("gitops-sync/eval", status -> assertThat(status).startsWith("failure: secrets: "));
    }

    @Test
    void aCycleADeadProcessLeftRunningHasItsPendingStatusesClosedEvenWhenTheBranchMovedOn() throws Exception {
        String killedAt = repo.head();
        try (StateStore store = StateStore.open(fixture.stateDir())) {
            // what a SIGKILL during the build leaves: the row still running, in its stage, on its commit
            long id = store.startCycle("schedule", "main", clock.instant());
            store.setCycleCommit(id, killedAt);
            store.setCycleStage(id, "build");
        }
        String head = repo.commitMotd("the branch moved on while the agent was down");

        try (Agent next = agent(List.of())) {
            assertThat(next.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none()).outcome())
                    .isEqualTo(CycleOutcome.DEPLOYED);
            assertThat(Processes.await(() -> finalStatuses(killedAt).size() == 3
                    && finalStatuses(head).getOrDefault(DEPLOY, "").startsWith("success")))
                    .as("statuses: " + github.statuses()).isTrue();
        }
        assertThat(finalStatuses(killedAt)).containsOnlyKeys("gitops-sync/eval", "gitops-sync/build", DEPLOY)
                .allSatisfy((context, status) -> assertThat(status)
                        .isEqualTo("error: interrupted in build: the agent stopped; a later cycle takes it up"));
    }
}
