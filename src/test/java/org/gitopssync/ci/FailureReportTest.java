package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an operator reads about failed attributes: one line each, code frames left to the log. */
class FailureReportTest {

    private static final String EVAL_ERROR = """
            attribute 'nonexistent' missing
                   at /nix/store/abc-source/flake.nix:12:5:
                       11|   checks.x86_64-linux.motd =
                       12|     pkgs.nonexistent;
                         |     ^
                       13| }""";

    private static AttributeResult evalFailed(String name) {
        return new AttributeResult(CiTarget.check("checks", "x86_64-linux", name), null, Map.of(), CiStatus.EVAL_FAILED,
                Duration.ZERO, Path.of("/var/lib/gitops-sync/ci/7/eval.log"), EVAL_ERROR, List.of());
    }

    @Test
    void evaluationFailureShowsTheFirstErrorLineAndPointsToTheLog() {
        AttributeResult failed = evalFailed("motd");

        assertThat(failed.describeFailure()).isEqualTo("checks.x86_64-linux.motd: eval-failed: attribute 'nonexistent'"
                + " missing (full error and code frames in /var/lib/gitops-sync/ci/7/eval.log)");
        assertThat(failed.describeFailureInFull()).contains("12|     pkgs.nonexistent;");
    }

    @Test
    void aReportListsExactlyTheFailuresItIsGiven() {
        AttributeResult system = new AttributeResult(CiTarget.system("other"), null, Map.of(), CiStatus.FAILED,
                Duration.ZERO, null, "builder failed", List.of());
        CiResult result = new CiResult(7, "main", "0".repeat(40), List.of(system, evalFailed("a"), evalFailed("b")),
                0, Duration.ZERO, null);

        List<AttributeResult> checks = result.failedChecks();
        String report = CiResult.failureReport(checks);

        assertThat(checks).hasSize(2);
        assertThat(report.lines().filter(line -> line.contains(": eval-failed:"))).hasSize(2);
        assertThat(report).doesNotContain("other");
    }
}
