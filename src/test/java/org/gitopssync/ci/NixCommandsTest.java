package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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

    @Test
    void nix28RealisesWithNixStoreAndShowsDerivationsTheOldWay() {
        NixCommands old = forVersion("nix (Nix) 2.8.0");

        assertThat(old.realise(DRV, Path.of("/state/gcroots/ci/7/checks.x.a"))).containsExactly(
                "nix-store", "--realise", "--option", "substituters", "", "--add-root", "/state/gcroots/ci/7/checks.x.a", DRV);
        assertThat(old.realise(DRV, null)).containsExactly("nix-store", "--realise", "--option", "substituters", "", DRV);
        assertThat(old.showDerivation(List.of(DRV), true)).containsExactly("nix", "show-derivation",
                "--extra-experimental-features", "nix-command flakes", "--option", "substituters", "", "--recursive", DRV);
    }

    @Test
    void newerNixBuildsDerivationOutputsAndUsesDerivationShow() {
        for (String version : List.of("nix (Nix) 2.18.1", "nix (Nix) 2.30.2", "nix (Lix, like Nix) 2.91.1")) {
            NixCommands cmds = forVersion(version);

            assertThat(cmds.realise(DRV, Path.of("/r/a"))).as(version).containsExactly("nix", "build",
                    "--extra-experimental-features", "nix-command flakes", "--option", "substituters", "",
                    "--print-build-logs", "--out-link", "/r/a", DRV + "^*");
            assertThat(cmds.realise(DRV, null)).as(version).contains("--no-link").doesNotContain("--out-link");
            assertThat(cmds.showDerivation(List.of(DRV), false)).as(version)
                    .startsWith("nix", "derivation", "show").doesNotContain("--recursive").endsWith(DRV);
        }
        assertThat(forVersion("nix (Nix) 2.13.0").realise(DRV, null)).last().isEqualTo(DRV + "^*");
        assertThat(forVersion("nix (Nix) 2.13.0").showDerivation(List.of(DRV), true)).contains("show-derivation");
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
