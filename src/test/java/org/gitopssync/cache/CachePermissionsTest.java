package org.gitopssync.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.config.CacheSettings;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.nix.Nix;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may push where: repositories, branches, pull requests, forks. */
class CachePermissionsTest {

    private static final String OUT = "/nix/store/0c9bzdhsl8wd1v8bacvbaak5xvwam2ym-hello-2.12";

    @TempDir
    Path tmp;

    private static CacheSettings.Permissions branches(boolean prs, boolean forks, String... globs) {
        return new CacheSettings.Permissions(false, List.of("**"), List.of(globs), prs, forks);
    }

    private static PushRequest push(String branch) {
        return new PushRequest("infra/fleet", branch, false, false, List.of(OUT));
    }

    private static PushRequest pullRequest(String branch, boolean fork) {
        return new PushRequest("infra/fleet", branch, true, fork, List.of(OUT));
    }

    private static CachePermissions.Decision decide(CacheSettings.Permissions p, PushRequest r) {
        return CachePermissions.evaluate(p, r);
    }

    @Test
    void branchGlobs() {
        CacheSettings.Permissions p = branches(false, false, "main", "release/*");
        assertThat(decide(p, push("main")).allowed()).isTrue();
        assertThat(decide(p, push("release/24.05")).allowed()).isTrue();
        assertThat(decide(p, push("release/24.05/hotfix")).allowed()).isFalse();
        assertThat(decide(p, push("feature/x")).reason()).isEqualTo("branch feature/x is not in permissions.branches");
        assertThat(decide(branches(false, false, "release/**"), push("release/24.05/hotfix")).allowed()).isTrue();
        assertThat(decide(branches(false, false, "v?.x"), push("v1.x")).allowed()).isTrue();
    }

    @Test
    void repositoryGlobs() {
        CacheSettings.Permissions p = new CacheSettings.Permissions(false, List.of("infra/*"), List.of("**"), false,
                false);
        assertThat(decide(p, push("main")).allowed()).isTrue();
        assertThat(decide(p, new PushRequest("other/fleet", "main", false, false, List.of(OUT))).reason())
                .isEqualTo("repository other/fleet is not in permissions.repositories");
    }

    @Test
    void pullRequestsNeedTheOptInAndAMatchingBranch() {
        assertThat(decide(branches(false, false, "**"), pullRequest("feature/x", false)).reason())
                .isEqualTo("pull request build; permissions.pull_requests is false");
        CacheSettings.Permissions prs = branches(true, false, "feature/*");
        assertThat(decide(prs, pullRequest("feature/x", false)).allowed()).isTrue();
        assertThat(decide(prs, pullRequest("experiment", false)).reason())
                .isEqualTo("pull request branch experiment is not in permissions.branches");
    }

    @Test
    void forksNeverPushUnlessAllowedEvenWithAllowAll() {
        CacheSettings.Permissions all = new CacheSettings.Permissions(true, List.of("**"), List.of("**"), true, false);
        assertThat(decide(all, pullRequest("main", true)).reason())
                .isEqualTo("pull request from a fork; permissions.forks is false");
        assertThat(decide(all, pullRequest("main", false)).allowed()).isTrue();
        assertThat(decide(all, push("anything")).allowed()).isTrue();
        assertThat(decide(branches(true, true, "**"), pullRequest("x", true)).allowed()).isTrue();
    }

    @Test
    void deniedCachesAreSkippedWithoutRunningAnything() {
        RecordingCommandRunner runner = new RecordingCommandRunner();
        CachePublisher publisher = new CachePublisher(List.of(
                TestCaches.cache("main-only", CacheSettings.Type.NIX_COPY, "file://" + tmp.resolve("a"))
                        .permissions(branches(false, false, "main")).required().build(),
                TestCaches.cache("prs", CacheSettings.Type.NIX_COPY, "file://" + tmp.resolve("b"))
                        .permissions(branches(true, false, "feature/*")).build()),
                new Nix(runner), new CredentialResolver(Map.of(), (p, f) -> null), tmp.resolve("scratch"),
                host -> List.of(), new RecordingSleeper(), HttpNarinfoProbe.defaultClient(), 2);

        PushReport report = publisher.publish(pullRequest("feature/x", true), Cancellation.none());

        assertThat(report.summaryLines()).containsExactly(
                "main-only: skipped (pull request from a fork; permissions.forks is false)",
                "prs: skipped (pull request from a fork; permissions.forks is false)");
        assertThat(report.requiredFailed()).isFalse();
        assertThat(report.description()).isEqualTo("pushed 0 paths to 0/0 caches, 2 skipped by policy");
        assertThat(runner.commands()).isEmpty();
    }
}
