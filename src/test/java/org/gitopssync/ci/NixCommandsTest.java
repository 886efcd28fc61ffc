package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.nix.Nix;
import org.gitopssync.nix.NixVersion;
import org.junit.jupiter.api.Test;

/** The command lines for old and new Nix: the one place the syntax differs. */
class NixCommandsTest {

    private static final String DRV = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-hello.drv";
    private static final Nix NIX = new Nix(new CommandRunner(), Map.of("substituters", ""));

    private static NixCommands forVersion(String versionOutput) {
        return new NixCommands(NIX, NixVersion.parse(versionOutput));
    }

    private static final String DRV2 = "/nix/store/zyxwvsrqpnmlkjihgfdcba9876543210-world.drv";
    private static final List<String> BATCH_FLAGS = List.of("--keep-going", "--max-jobs", "1", "--log-format",
            "internal-json", "--option", "max-silent-time", "1200", "--option", "timeout", "14400");

    @Test
    void nix28RealisesWithNixStoreAndShowsDerivationsTheOldWay() {
        NixCommands old = forVersion("nix (Nix) 2.8.0");

        List<String> expected = new java.util.ArrayList<>(List.of("nix-store", "--realise", "--option", "substituters",
                "", "--add-root", "/state/gcroots/ci/7/batch-1"));
        expected.addAll(BATCH_FLAGS);
        expected.addAll(List.of(DRV, DRV2));
        assertThat(old.realise(List.of(DRV, DRV2), Path.of("/state/gcroots/ci/7/batch-1"), Duration.ofMinutes(20),
                Duration.ofHours(4))).containsExactlyElementsOf(expected);
        assertThat(old.realise(List.of(DRV), null, Duration.ofMinutes(20), Duration.ofHours(4)))
                .doesNotContain("--add-root").last().isEqualTo(DRV);
        assertThat(old.showDerivation(List.of(DRV), true)).containsExactly("nix", "show-derivation",
                "--extra-experimental-features", "nix-command flakes", "--option", "substituters", "", "--recursive", DRV);
    }

    @Test
    void newerNixBuildsDerivationOutputsAndUsesDerivationShow() {
        for (String version : List.of("nix (Nix) 2.18.1", "nix (Nix) 2.30.2", "nix (Lix, like Nix) 2.91.1")) {
            NixCommands cmds = forVersion(version);

            List<String> expected = new java.util.ArrayList<>(List.of("nix", "build", "--extra-experimental-features",
                    "nix-command flakes", "--option", "substituters", "", "--out-link", "/r/batch-2"));
            expected.addAll(BATCH_FLAGS);
            expected.addAll(List.of(DRV + "^*", DRV2 + "^*"));
            assertThat(cmds.realise(List.of(DRV, DRV2), Path.of("/r/batch-2"), Duration.ofMinutes(20),
                    Duration.ofHours(4))).as(version).containsExactlyElementsOf(expected);
            assertThat(cmds.realise(List.of(DRV), null, Duration.ofMinutes(20), Duration.ofHours(4))).as(version)
                    .contains("--no-link").doesNotContain("--out-link");
            assertThat(cmds.showDerivation(List.of(DRV), false)).as(version)
                    .startsWith("nix", "derivation", "show").doesNotContain("--recursive").endsWith(DRV);
        }
        assertThat(forVersion("nix (Nix) 2.13.0").realise(List.of(DRV), null, Duration.ofSeconds(1),
                Duration.ofSeconds(1))).last().isEqualTo(DRV + "^*");
        assertThat(forVersion("nix (Nix) 2.13.0").showDerivation(List.of(DRV), true)).contains("show-derivation");
    }

    @Test
    void timeoutsGoToNixInWholeSecondsRoundedUp() {
        assertThat(NixCommands.seconds(Duration.ofMillis(1500))).isEqualTo("2");
        assertThat(NixCommands.seconds(Duration.ofMillis(10))).isEqualTo("1");
        assertThat(NixCommands.seconds(Duration.ofMinutes(20))).isEqualTo("1200");
    }

    @Test
    void storeQueriesAndEvalJobsAreTheSameOnEveryVersion() {
        for (String version : List.of("nix (Nix) 2.8.0", "nix (Nix) 2.24.9")) {
            NixCommands cmds = forVersion(version);
            assertThat(cmds.checkValidity(List.of("/nix/store/a", "/nix/store/b"))).containsExactly("nix-store",
                    "--check-validity", "--print-invalid", "--option", "substituters", "", "/nix/store/a", "/nix/store/b");
            assertThat(cmds.dryRun(List.of(DRV))).containsExactly("nix-store", "--realise", "--dry-run", "--option",
                    "substituters", "", DRV);
            assertThat(cmds.addRoots(List.of("/nix/store/a"), Path.of("/r/cached"))).containsExactly("nix-store",
                    "--realise", "--add-root", "/r/cached", "--option", "substituters", "", "/nix/store/a");
            assertThat(cmds.evalJobs("git+file:///repo?rev=abc", "checks.x86_64-linux", 4, 2048, Path.of("/g")))
                    .containsExactly("nix-eval-jobs", "--workers", "4", "--max-memory-size", "2048", "--gc-roots-dir",
                            "/g", "--force-recurse", "--check-cache-status", "--option", "substituters", "",
                            "--flake", "git+file:///repo?rev=abc#checks.x86_64-linux");
            assertThat(cmds.evalJson("1 + 1")).containsSubsequence("nix", "eval", "--json", "--expr", "1 + 1");
        }
    }

    @Test
    void installablePathsQuoteNamesThatAreNotIdentifiers() {
        assertThat(EvalJobsEvaluator.pathPart("x86_64-linux")).isEqualTo("x86_64-linux");
        assertThat(EvalJobsEvaluator.pathPart("web1.example.org")).isEqualTo("\"web1.example.org\"");
    }

    @Test
    void nixStringsCannotBeEndedOrInterpolatedFromInside() {
        assertThat(EvalExpression.string("a\"b${c}\\d\n")).isEqualTo("\"a\\\"b\\${c}\\\\d\\n\"");
        assertThat(EvalExpression.list(List.of("a", "b c"))).isEqualTo("[ \"a\" \"b c\" ]");
    }
}
