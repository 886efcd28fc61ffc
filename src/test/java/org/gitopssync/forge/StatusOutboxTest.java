package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.gitopssync.config.Credential;
import org.gitopssync.state.StateStore;
import org.gitopssync.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statuses survive the process: written to the SQLite outbox before they are sent, removed once the
 * forge accepted them, sent by the next process otherwise. The timeout only guards against a hang.
 */
@Timeout(60)
class StatusOutboxTest {

    static final String SHA = StatusReportersTest.SHA;
    static final RepositoryCoordinates REPO = RepositoryCoordinates.of("acme", "infra");

    @TempDir
    Path stateDir;

    final MutableClock clock = MutableClock.atDefault();
    final RecordingSleeper sleeper = new RecordingSleeper(clock);

    StatusReporter gitHub(GitHubApiDouble github) {
        return ForgeApi.connect(new ForgeConnection(ForgeKind.GITHUB, github.baseUrl(),
                new ForgeAuth.Token(Credential.of("ghp_token", "test"))), HttpClient.newHttpClient(), clock)
                .statusReporter();
    }

    static CommitStatus status(String context, StatusState state) {
        return new CommitStatus(SHA, context, state, state.name().toLowerCase(), null);
    }

    /** A forge that accepts the connection and never answers (until the queue gives up on it). */
    static final class HangingForgeDouble implements StatusReporter {
        final CountDownLatch entered = new CountDownLatch(1);

        @Override
        public ForgeKind forge() {
            return ForgeKind.GITHUB;
        }

        @Override
        public void report(RepositoryCoordinates repository, CommitStatus status) {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ForgeException("interrupted", ForgeKind.GITHUB, repository.fullName(), status.sha(), 0,
                        RetryAdvice.never(), e);
            }
        }
    }

    @Test
    void statusesAProcessCouldNotSendAreSentByTheNextOneNewestFirstWins() throws Exception {
        // first process: the forge is down for every attempt, then the process exits
        try (StateStore store = StateStore.open(stateDir); GitHubApiDouble down = new GitHubApiDouble(clock, "ghp_token")) {
            down.stop();
            StatusQueue first = new StatusQueue(gitHub(down), new StatusQueue.Settings(100, 2, Duration.ofSeconds(1),
                    Duration.ofSeconds(1), Duration.ofSeconds(1)), clock, sleeper,
                    new StoredStatusOutbox(store, ForgeKind.GITHUB, clock));
            first.start();
            first.submit(REPO, status("gitops-sync/eval", StatusState.PENDING));
            first.submit(REPO, status("gitops-sync/build", StatusState.SUCCESS));
            first.awaitIdle();
            first.submit(REPO, status("gitops-sync/eval", StatusState.SUCCESS));
            first.awaitIdle();
            first.close(Duration.ofSeconds(5));
        }

        // the next process (one-shot or daemon) delivers them once
        try (StateStore store = StateStore.open(stateDir); GitHubApiDouble github = new GitHubApiDouble(clock, "ghp_token")) {
            StoredStatusOutbox outbox = new StoredStatusOutbox(store, ForgeKind.GITHUB, clock);
            assertThat(outbox.stored()).hasSize(2);
            StatusQueue next = new StatusQueue(gitHub(github), StatusQueue.Settings.defaults(), clock, sleeper, outbox);
            next.start();
            next.awaitIdle();
            next.close(Duration.ofSeconds(5));

            assertThat(github.statuses()).extracting(s -> s.field("context") + "=" + s.field("state"))
                    .containsExactlyInAnyOrder("gitops-sync/build=success", "gitops-sync/eval=success");
            assertThat(outbox.stored()).as("accepted statuses leave the outbox").isEmpty();
        }
    }

    @Test
    void aHangingForgeDoesNotHoldUpTheExitAndItsStatusesStayForTheNextRun() throws Exception {
        try (StateStore store = StateStore.open(stateDir)) {
            StoredStatusOutbox outbox = new StoredStatusOutbox(store, ForgeKind.GITHUB, clock);
            HangingForgeDouble hanging = new HangingForgeDouble();
            StatusQueue queue = new StatusQueue(hanging, StatusQueue.Settings.defaults(), clock, sleeper, outbox);
            queue.start();
            for (String context : new String[] {"eval", "build", "deploy", "cache"}) {
                queue.submit(REPO, status("gitops-sync/" + context, StatusState.SUCCESS));
            }
            hanging.entered.await();

            queue.close(Duration.ofMillis(100));

            assertThat(outbox.stored()).extracting(s -> s.status().context())
                    .containsExactly("gitops-sync/eval", "gitops-sync/build", "gitops-sync/deploy", "gitops-sync/cache");
        }
    }

    @Test
    void aStatusRefusedForGoodLeavesTheOutbox() throws Exception {
        try (StateStore store = StateStore.open(stateDir); GitHubApiDouble github = new GitHubApiDouble(clock, "ghp_token")) {
            StoredStatusOutbox outbox = new StoredStatusOutbox(store, ForgeKind.GITHUB, clock);
            github.failNext(ApiDouble.Reply.json(403, Map.of("message", "Resource not accessible")));
            StatusQueue queue = new StatusQueue(gitHub(github), StatusQueue.Settings.defaults(), clock, sleeper, outbox);
            queue.start();
            queue.submit(REPO, status("gitops-sync/eval", StatusState.SUCCESS));
            queue.awaitIdle();
            queue.close(Duration.ofSeconds(5));

            assertThat(outbox.stored()).isEmpty();
        }
    }

    @Test
    void theOutboxKeepsOneStatusPerRepositoryShaAndContextTheNewest() {
        try (StateStore store = StateStore.open(stateDir)) {
            StoredStatusOutbox outbox = new StoredStatusOutbox(store, ForgeKind.GITHUB, clock);
            long older = outbox.write(REPO, status("gitops-sync/eval", StatusState.PENDING));
            long newer = outbox.write(REPO, status("gitops-sync/eval", StatusState.FAILURE));
            outbox.write(REPO, status("gitops-sync/build", StatusState.PENDING));

            assertThat(outbox.isCurrent(older)).isFalse();
            assertThat(outbox.isCurrent(newer)).isTrue();
            assertThat(outbox.stored()).extracting(s -> s.status().context() + "=" + s.status().state())
                    .containsExactly("gitops-sync/eval=FAILURE", "gitops-sync/build=PENDING");
            assertThat(new StoredStatusOutbox(store, ForgeKind.GITLAB, clock).stored()).as("per forge").isEmpty();
        }
    }

    /** Fails its first call, during which "another process" writes a newer status for the same context. */
    static final class OutagedForgeDouble implements StatusReporter {
        final List<String> calls = new ArrayList<>();
        final Runnable duringFirstCall;

        OutagedForgeDouble(Runnable duringFirstCall) {
            this.duringFirstCall = duringFirstCall;
        }

        @Override
        public ForgeKind forge() {
            return ForgeKind.GITHUB;
        }

        @Override
        public void report(RepositoryCoordinates repository, CommitStatus status) {
            calls.add(status.context() + "=" + status.state());
            if (calls.size() == 1) {
                duringFirstCall.run();
                throw new ForgeException("service unavailable", ForgeKind.GITHUB, repository.fullName(), status.sha(),
                        503, RetryAdvice.backoff(), null);
            }
        }
    }

    @Test
    void aStatusBeingRetriedIsDroppedOnceAnotherProcessWroteANewerOne() throws Exception {
        try (StateStore store = StateStore.open(stateDir)) {
            StoredStatusOutbox outbox = new StoredStatusOutbox(store, ForgeKind.GITHUB, clock);
            StoredStatusOutbox otherProcess = new StoredStatusOutbox(store, ForgeKind.GITHUB, clock);
            OutagedForgeDouble forge = new OutagedForgeDouble(
                    () -> otherProcess.write(REPO, status("gitops-sync/deploy/demo", StatusState.SUCCESS)));
            StatusQueue queue = new StatusQueue(forge, StatusQueue.Settings.defaults(), clock, sleeper, outbox);
            queue.start();
            queue.submit(REPO, status("gitops-sync/deploy/demo", StatusState.PENDING));
            queue.awaitIdle();
            queue.close(Duration.ofSeconds(5));

            assertThat(forge.calls).as("the older status is not sent again after the newer one exists")
                    .containsExactly("gitops-sync/deploy/demo=PENDING");
            assertThat(outbox.stored()).extracting(st -> st.status().state()).containsExactly(StatusState.SUCCESS);
        }
    }
}
