package org.gitopssync.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.gitopssync.Sleeper;
import org.gitopssync.config.Credential;
import org.gitopssync.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Delivery semantics; waits are recorded by the sleeper, nothing sleeps. The timeout only guards against a hang. */
@Timeout(60)
class StatusQueueTest {

    static final String SHA = StatusReportersTest.SHA;
    static final RepositoryCoordinates REPO = RepositoryCoordinates.of("acme", "infra");
    static final StatusQueue.Settings SETTINGS = new StatusQueue.Settings(100, 5, Duration.ofSeconds(2),
            Duration.ofMinutes(5), Duration.ofHours(1));

    final MutableClock clock = MutableClock.atDefault();
    final RecordingSleeper sleeper = new RecordingSleeper(clock);
    final GitHubApiDouble github = new GitHubApiDouble(clock, "ghp_token");
    StatusQueue queue;

    @AfterEach
    void stop() {
        if (queue != null) {
            queue.close(Duration.ofSeconds(5));
        }
        github.close();
    }

    StatusReporter gitHub() {
        return ForgeApi.connect(new ForgeConnection(ForgeKind.GITHUB, github.baseUrl(),
                new ForgeAuth.Token(Credential.of("ghp_token", "test"))), HttpClient.newHttpClient(), clock)
                .statusReporter();
    }

    StatusQueue queue(StatusReporter reporter, StatusQueue.Settings settings, Sleeper s) {
        queue = new StatusQueue(reporter, settings, clock, s);
        return queue;
    }

    static CommitStatus status(String context, StatusState state) {
        return new CommitStatus(SHA, context, state, state.name().toLowerCase(), null);
    }

    void deliverOne() throws InterruptedException {
        StatusQueue q = queue(gitHub(), SETTINGS, sleeper);
        q.start();
        q.submit(REPO, status("gitops-sync/eval", StatusState.SUCCESS));
        q.awaitIdle();
    }

    static ApiDouble.Reply reply(int status, String message) {
        return ApiDouble.Reply.json(status, Map.of("message", message));
    }

    @Test
    void serverErrorsAreRetriedWithExponentialBackoffThenDelivered() throws Exception {
        github.failNext(reply(502, "Server Error"), reply(503, "Unavailable"), reply(500, "oops"));
        deliverOne();

        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
        assertThat(github.statuses()).hasSize(1);
        assertThat(queue.counters()).isEqualTo(new StatusQueue.Counters(1, 3, 0, 0, 0));
    }

    @Test
    void retryAfterInSecondsIsHonored() throws Exception {
        github.failNext(reply(429, "Too Many Requests").withHeader("Retry-After", "7"));
        deliverOne();

        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(7));
        assertThat(github.statuses()).hasSize(1);
    }

    @Test
    void retryAfterAsHttpDateIsHonored() throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(45).atOffset(ZoneOffset.UTC));
        github.failNext(reply(503, "Unavailable").withHeader("Retry-After", date));
        deliverOne();

        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(45));
    }

    @Test
    void exhaustedPrimaryRateLimitWaitsForTheReset() throws Exception {
        long reset = clock.instant().getEpochSecond() + 120;
        github.failNext(reply(403, "API rate limit exceeded for user ID 1.")
                .withHeader("X-RateLimit-Remaining", "0").withHeader("X-RateLimit-Reset", Long.toString(reset)));
        deliverOne();

        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(120));
        assertThat(github.statuses()).hasSize(1);
    }

    @Test
    void secondaryRateLimitWithoutRetryAfterWaitsAtLeastAMinute() throws Exception {
        ApiDouble.Reply secondary = reply(403, "You have exceeded a secondary rate limit. Please wait a few minutes.")
                .withHeader("X-RateLimit-Remaining", "4000");
        github.failNext(secondary, secondary);
        deliverOne();

        assertThat(sleeper.waits()).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(1));
        assertThat(github.statuses()).hasSize(1);
    }

    @Test
    void secondaryRateLimitWithRetryAfterUsesIt() throws Exception {
        github.failNext(reply(403, "You have exceeded a secondary rate limit").withHeader("Retry-After", "90"));
        deliverOne();

        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(90));
    }

    @Test
    void oldAbuseDetectionWordingCountsAsSecondaryLimit() throws Exception {
        github.failNext(reply(403, "You have triggered an abuse detection mechanism."));
        deliverOne();

        assertThat(sleeper.waits()).containsExactly(Duration.ofMinutes(1));
    }

    @Test
    void rateLimitWaitIsCappedByMaxWait() throws Exception {
        github.failNext(reply(429, "slow down").withHeader("Retry-After", "86400"));
        deliverOne();

        assertThat(sleeper.waits()).containsExactly(Duration.ofHours(1));
    }

    @Test
    void permissionDeniedIsDroppedWithoutRetry() throws Exception {
        github.failNext(reply(403, "Resource not accessible by integration"));
        deliverOne();

        assertThat(sleeper.waits()).isEmpty();
        assertThat(queue.counters()).isEqualTo(new StatusQueue.Counters(0, 0, 1, 0, 0));
    }

    @Test
    void outageIsCountedAndLoggedButNeverThrownToTheCaller() throws Exception {
        github.stop();
        StatusQueue q = queue(gitHub(), SETTINGS, sleeper);
        q.start();
        q.submit(REPO, status("gitops-sync/eval", StatusState.FAILURE));
        q.awaitIdle();

        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(16));
        assertThat(q.counters()).isEqualTo(new StatusQueue.Counters(0, 4, 1, 0, 0));
    }

    @Test
    void backoffStopsGrowingAtMaxBackoff() throws Exception {
        github.stop();
        StatusQueue q = queue(gitHub(), new StatusQueue.Settings(10, 6, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofHours(1)), sleeper);
        q.start();
        q.submit(REPO, status("c", StatusState.SUCCESS));
        q.awaitIdle();

        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    @Test
    void waitingUpdatesForTheSameContextCollapseToTheNewest() throws Exception {
        StatusQueue q = queue(gitHub(), SETTINGS, sleeper);
        q.submit(REPO, status("gitops-sync/eval", StatusState.PENDING));
        q.submit(REPO, status("gitops-sync/build", StatusState.PENDING));
        q.submit(REPO, status("gitops-sync/eval", StatusState.RUNNING));
        q.submit(REPO, status("gitops-sync/eval", StatusState.SUCCESS));
        q.submit(RepositoryCoordinates.of("acme", "other"), status("gitops-sync/eval", StatusState.PENDING));
        q.start();
        q.awaitIdle();

        assertThat(github.statuses()).extracting(s -> s.repository() + " " + s.field("context") + " " + s.field("state"))
                .containsExactly("acme/infra gitops-sync/eval success", "acme/infra gitops-sync/build pending",
                        "acme/other gitops-sync/eval pending");
        assertThat(q.counters().superseded()).isEqualTo(2);
        assertThat(q.counters().sent()).isEqualTo(3);
    }

    @Test
    void newerUpdateArrivingDuringARetryWaitReplacesTheRetriedOne() throws Exception {
        AtomicReference<StatusQueue> self = new AtomicReference<>();
        Sleeper submitWhileWaiting = (d, cancellation) -> {
            sleeper.sleep(d, cancellation);
            self.get().submit(REPO, status("gitops-sync/build", StatusState.SUCCESS));
        };
        github.failNext(reply(502, "Bad Gateway"));
        StatusQueue q = queue(gitHub(), SETTINGS, submitWhileWaiting);
        self.set(q);
        q.start();
        q.submit(REPO, status("gitops-sync/build", StatusState.RUNNING));
        q.awaitIdle();

        assertThat(github.statuses()).extracting(s -> s.field("state")).containsExactly("success");
        assertThat(q.counters()).isEqualTo(new StatusQueue.Counters(1, 1, 0, 1, 0));
    }

    @Test
    void fullQueueDropsTheOldestWaitingStatus() throws Exception {
        StatusQueue q = queue(gitHub(), new StatusQueue.Settings(2, 3, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1)), sleeper);
        q.submit(REPO, status("one", StatusState.SUCCESS));
        q.submit(REPO, status("two", StatusState.SUCCESS));
        q.submit(REPO, status("three", StatusState.SUCCESS));
        q.start();
        q.awaitIdle();

        assertThat(github.statuses()).extracting(s -> s.field("context")).containsExactly("two", "three");
        assertThat(q.counters().dropped()).isEqualTo(1);
    }

    @Test
    void closedQueueCountsLateStatusesAsDropped() throws Exception {
        StatusQueue q = queue(gitHub(), SETTINGS, sleeper);
        q.start();
        q.submit(REPO, status("early", StatusState.SUCCESS));
        q.close(Duration.ofSeconds(5));
        q.submit(REPO, status("late", StatusState.SUCCESS));

        assertThat(github.statuses()).extracting(s -> s.field("context")).containsExactly("early");
        assertThat(q.counters().dropped()).isEqualTo(1);
    }

    @Test
    void unexpectedReporterBugDropsTheStatusButKeepsDelivering() throws Exception {
        StatusReporter real = gitHub();
        StatusReporter flaky = new StatusReporter() {
            @Override
            public ForgeKind forge() {
                return ForgeKind.GITHUB;
            }

            @Override
            public void report(RepositoryCoordinates repository, CommitStatus status) {
                if (status.context().equals("bug")) {
                    throw new IllegalStateException("bug");
                }
                real.report(repository, status);
            }
        };
        StatusQueue q = queue(flaky, SETTINGS, sleeper);
        q.start();
        q.submit(REPO, status("bug", StatusState.SUCCESS));
        q.submit(REPO, status("fine", StatusState.SUCCESS));
        q.awaitIdle();

        assertThat(github.statuses()).extracting(s -> s.field("context")).containsExactly("fine");
        assertThat(q.counters().dropped()).isEqualTo(1);
    }

    @Test
    void gitLabRateLimitHeadersAreHonored() throws Exception {
        try (GitLabApiDouble gitlab = new GitLabApiDouble("glpat")) {
            long reset = clock.instant().getEpochSecond() + 30;
            gitlab.failNext(ApiDouble.Reply.json(429, Map.of("message", "Retry later"))
                    .withHeader("RateLimit-Remaining", "0").withHeader("RateLimit-Reset", Long.toString(reset)));
            StatusReporter reporter = ForgeApi.connect(new ForgeConnection(ForgeKind.GITLAB, gitlab.baseUrl(),
                    new ForgeAuth.Token(Credential.of("glpat", "test"))), HttpClient.newHttpClient(), clock)
                    .statusReporter();
            StatusQueue q = queue(reporter, SETTINGS, sleeper);
            q.start();
            q.submit(RepositoryCoordinates.gitLabProject("infra/hosts"), status("c", StatusState.SUCCESS));
            q.awaitIdle();

            assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(30));
            assertThat(gitlab.statuses()).hasSize(1);
        }
    }
}
