package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gitopssync.config.CiSettings;
import org.gitopssync.config.NixSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine against real nix: builds, failures, dependency failures, evaluation errors, caching. */
class CiEngineTest {

    private static final String SYS = NixSystem.current();

    @TempDir
    Path tmp;

    private static String check(String name) {
        return "checks." + SYS + "." + name;
    }

    private static AttributeResult result(CiResult r, String attribute) {
        return r.attributes().stream().filter(a -> a.attribute().equals(attribute)).findFirst()
                .orElseThrow(() -> new AssertionError(attribute + " not in " + r.attributes()));
    }

    private static List<String> rootTargets(Path dir) throws IOException {
        try (Stream<Path> links = Files.list(dir)) {
            return links.filter(Files::isSymbolicLink).map(l -> {
                try {
                    return Files.readSymbolicLink(l).toString();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void buildsEveryCheckAndTheHostSystemWithLogsRootsAndStoredResults() throws IOException {
        TestFlake flake = TestFlake.create(tmp, """
                let base = mk "base" "echo base"; in {
                  checks.${system} = {
                    a = mk "a" "echo building a with ${base}";
                    b = mk "b" "echo building b with ${base}";
                  };
                  nixosConfigurations.demo.config.system.build.toplevel = mk "toplevel" "echo top ${base}";
                }""");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResult r = bed.run(flake.runHead().withHosts(CiSettings.Hosts.self()));

            assertThat(r.succeeded()).as(r.failureReport()).isTrue();
            assertThat(r.summary()).isEqualTo("3 built");
            assertThat(r.derivationsBuilt()).as("base, a, b and the toplevel").isEqualTo(4);
            assertThat(r.attributes()).extracting(AttributeResult::attribute).containsExactly(
                    "nixosConfigurations.demo.config.system.build.toplevel", check("a"), check("b"));
            AttributeResult a = result(r, check("a"));
            assertThat(a.status()).isEqualTo(CiStatus.BUILT);
            assertThat(a.out()).startsWith("/nix/store/").endsWith("-a");
            assertThat(Files.readString(a.log())).contains("building a with /nix/store/");
            assertThat(a.log()).isEqualTo(bed.stateDir.resolve("logs/ci/" + r.runId() + "/" + check("a") + ".log"));
            assertThat(r.systems()).containsOnlyKeys("demo");
            Path roots = bed.stateDir.resolve("gcroots/ci/" + r.runId());
            assertThat(rootTargets(roots)).as("garbage-collector roots").contains(a.out(), r.systems().get("demo"));

            CiResultStore stored = bed.engine.results();
            assertThat(stored.run(r.runId())).get().satisfies(run -> {
                assertThat(run.outcome()).isEqualTo("succeeded");
                assertThat(run.summary()).isEqualTo("3 built");
                assertThat(run.commit()).isEqualTo(flake.head());
            });
            assertThat(stored.results(r.runId())).extracting(AttributeResult::status).containsOnly(CiStatus.BUILT);

            bed.engine.releaseRoots(r.runId());
            assertThat(roots).doesNotExist();
        }
    }

    @Test
    void aFailingCheckIsReportedWithItsLogTailWhileTheOthersBuild() {
        TestFlake flake = TestFlake.create(tmp, """
                {
                  checks.${system} = {
                    good = mk "good" "echo fine";
                    broken = mk "broken" "echo first line of the failure >&2; echo this check fails on purpose >&2; exit 3";
                  };
                }""");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResult r = bed.run(flake.runHead());

            assertThat(r.succeeded()).isFalse();
            assertThat(r.summary()).isEqualTo("1 built, 1 failed");
            AttributeResult broken = result(r, check("broken"));
            assertThat(broken.status()).isEqualTo(CiStatus.FAILED);
            assertThat(broken.error()).contains("failed with exit code 3");
            assertThat(broken.logTail()).contains("this check fails on purpose");
            assertThat(r.failureReport()).contains(check("broken") + ": failed", "| this check fails on purpose");
            assertThat(result(r, check("good")).status()).isEqualTo(CiStatus.BUILT);
            assertThat(r.failedChecks()).extracting(AttributeResult::attribute).containsExactly(check("broken"));
        }
    }

    @Test
    void aCheckWhoseDependencyFailsIsNotBuiltAndNamesTheFailedDependency() {
        TestFlake flake = TestFlake.create(tmp, """
                let lib = mk "broken-lib" "echo the library does not compile >&2; exit 1"; in {
                  checks.${system} = {
                    uses-lib = mk "uses-lib" "echo ${lib}";
                    independent = mk "independent" "echo fine";
                  };
                }""");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResult r = bed.run(flake.runHead());

            AttributeResult uses = result(r, check("uses-lib"));
            assertThat(uses.status()).isEqualTo(CiStatus.DEPENDENCY_FAILED);
            assertThat(uses.error()).contains("dependency broken-lib failed");
            assertThat(uses.logTail()).contains("the library does not compile");
            assertThat(bed.realisationsOf(uses.drvPath())).as("never built").isEmpty();
            assertThat(result(r, check("independent")).status()).isEqualTo(CiStatus.BUILT);
            assertThat(r.summary()).isEqualTo("1 built, 1 dependency-failed");
        }
    }

    @Test
    void anEvaluationErrorFailsOnlyItsAttribute() {
        TestFlake flake = TestFlake.create(tmp, """
                {
                  checks.${system} = {
                    fine = mk "fine" "echo fine";
                    boom = throw "boom";
                    not-a-derivation = 42;
                    also-fine = mk "also-fine" "echo fine";
                  };
                }""");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResult r = bed.run(flake.runHead());

            assertThat(result(r, check("boom")).status()).isEqualTo(CiStatus.EVAL_FAILED);
            assertThat(result(r, check("boom")).error()).isEqualTo("boom");
            assertThat(result(r, check("not-a-derivation")).error()).isEqualTo("not a derivation");
            assertThat(result(r, check("fine")).status()).isEqualTo(CiStatus.BUILT);
            assertThat(result(r, check("also-fine")).status()).isEqualTo(CiStatus.BUILT);
            assertThat(r.summary()).isEqualTo("2 built, 2 eval-failed");
        }
    }

    @Test
    void errorsTryEvalCannotCatchAreIsolatedByBisection() {
        TestFlake flake = TestFlake.create(tmp, """
                {
                  checks.${system} = {
                    one = mk "one" "echo 1";
                    two = mk "two" "echo 2";
                    aborts = builtins.abort "hard stop";
                    missing = (mk "m" "true").no-such-attribute;
                    three = mk "three" "echo 3";
                  };
                }""");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResult r = bed.run(flake.runHead());

            assertThat(result(r, check("aborts")).status()).isEqualTo(CiStatus.EVAL_FAILED);
            assertThat(result(r, check("aborts")).error()).contains("hard stop");
            assertThat(result(r, check("missing")).error()).contains("no-such-attribute");
            assertThat(r.summary()).isEqualTo("3 built, 2 eval-failed");
        }
    }

    @Test
    void aHostTheFlakeDoesNotDefineIsThatHostsEvaluationFailure() {
        TestFlake flake = TestFlake.create(tmp, "{ checks.${system}.ok = mk \"ok\" \"echo ok\"; }");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResult r = bed.run(flake.runHead().withHosts(CiSettings.Hosts.self()));

            assertThat(r.system("demo")).get().satisfies(s -> {
                assertThat(s.status()).isEqualTo(CiStatus.EVAL_FAILED);
                assertThat(s.error()).contains("no nixosConfigurations.demo");
            });
            assertThat(result(r, check("ok")).status()).isEqualTo(CiStatus.BUILT);
        }
    }

    @Test
    void aColdRunLearnsWhatIsBuiltFromTheEvaluationAndReadsTheDerivationsInOneRound() {
        TestFlake flake = TestFlake.create(tmp, """
                let base = mk "base" "echo base"; in {
                  checks.${system} = {
                    a = mk "a" "echo a ${base}";
                    b = mk "b" "echo b";
                    c = mk "c" "echo c";
                    split = derivation {
                      name = "split"; inherit system salt; builder = "/bin/sh"; outputs = [ "out" "doc" ];
                      args = [ "-c" "echo out > $out; echo doc > $doc" ];
                    };
                  };
                }""");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResult r = bed.run(flake.runHead());

            assertThat(r.succeeded()).as(r.failureReport()).isTrue();
            assertThat(r.summary()).isEqualTo("4 built");
            assertThat(r.derivationsBuilt()).as("base and the four checks").isEqualTo(5);
            assertThat(result(r, check("split")).outputs()).containsOnlyKeys("out", "doc");
            List<List<String>> shows = bed.runner.commands().stream()
                    .filter(c -> c.contains("show-derivation") || c.contains("derivation") && c.contains("show"))
                    .toList();
            // the evaluation named every output: nothing is read just to learn them, and its attributes
            // arrive together, so one read of their closures serves them all
            assertThat(shows).as("derivations read from the store").hasSize(1);
            assertThat(shows.get(0)).contains("--recursive");
        }
    }

    @Test
    void aSecondRunFindsEverythingBuiltAndBuildsNothing() {
        TestFlake flake = TestFlake.create(tmp, """
                {
                  checks.${system} = { a = mk "a" "echo a"; b = mk "b" "echo b"; };
                  nixosConfigurations.demo.config.system.build.toplevel = mk "toplevel" "echo top";
                }""");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiRun withSystem = flake.runHead().withHosts(CiSettings.Hosts.self());
            CiResult first = bed.run(withSystem);
            assertThat(first.summary()).isEqualTo("3 built");
            bed.runner.clear();

            CiResult second = bed.run(withSystem);

            assertThat(second.summary()).isEqualTo("3 cached");
            assertThat(second.derivationsBuilt()).isZero();
            assertThat(bed.anyRealisation()).as("no derivation realised").isEmpty();
            assertThat(second.systems().get("demo")).isEqualTo(first.systems().get("demo"));
            assertThat(bed.stateDir.resolve("gcroots/ci/" + second.runId() + "/cached")).as("outputs rooted").exists();
        }
    }

    @Test
    void aFailedDerivationIsNotRebuiltUntilRetried() {
        TestFlake flake = TestFlake.create(tmp, """
                { checks.${system}.flaky = mk "flaky" "echo it broke >&2; exit 1"; }""");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResult first = bed.run(flake.runHead());
            String drv = result(first, check("flaky")).drvPath();
            assertThat(result(first, check("flaky")).status()).isEqualTo(CiStatus.FAILED);
            bed.runner.clear();

            CiResult second = bed.run(flake.runHead());

            AttributeResult skipped = result(second, check("flaky"));
            assertThat(skipped.status()).isEqualTo(CiStatus.SKIPPED_CACHED_FAILURE);
            assertThat(skipped.error()).contains("failed in ci run " + first.runId(), "--retry-failed");
            assertThat(skipped.logTail()).contains("it broke");
            assertThat(bed.realisationsOf(drv)).isEmpty();

            CiResult retried = bed.engine.run(flake.runHead().retryingFailed(true), org.gitopssync.Cancellation.none());

            assertThat(result(retried, check("flaky")).status()).isEqualTo(CiStatus.FAILED);
            assertThat(bed.realisationsOf(drv)).hasSize(1);
        }
    }

    @Test
    void withFailureCachingOffAFailedDerivationIsBuiltAgain() {
        TestFlake flake = TestFlake.create(tmp, """
                { checks.${system}.flaky = mk "flaky" "exit 1"; }""");
        try (CiTestbed bed = new CiTestbed(tmp, "cache_failures = false")) {
            bed.run(flake.runHead());
            CiResult second = bed.run(flake.runHead());

            assertThat(result(second, check("flaky")).status()).isEqualTo(CiStatus.FAILED);
            assertThat(bed.realisationsOf(result(second, check("flaky")).drvPath())).hasSize(2);
        }
    }

    @Test
    void aSilentBuilderIsKilledByTheNoOutputTimeoutAndMarkedTimedOut() throws IOException {
        TestFlake flake = TestFlake.create(tmp, "{ }");
        Path fifo = flake.fifo("never-written");
        Path pid = flake.shared().resolve("silent.pid");
        flake.commit("""
                {
                  checks.${system} = {
                    silent = mk "silent" "echo $$ > %s; read line < %s";
                    quick = mk "quick" "echo quick";
                  };
                }""".formatted(pid, fifo), "a builder that waits forever without a word");
        try (CiTestbed bed = new CiTestbed(tmp, "no_output_timeout = \"1s\"")) {
            CiResult r = bed.run(flake.runHead());

            AttributeResult silent = result(r, check("silent"));
            assertThat(silent.status()).isEqualTo(CiStatus.TIMED_OUT);
            assertThat(silent.error()).contains("no output for 1s", "ci.no_output_timeout");
            assertThat(result(r, check("quick")).status()).isEqualTo(CiStatus.BUILT);
            long builder = Long.parseLong(Files.readString(pid).trim());
            assertThat(ProcessHandle.of(builder).map(ProcessHandle::isAlive)).as("builder killed").isNotEqualTo(
                    java.util.Optional.of(true));
        }
    }

    @Test
    void skipSubstitutableAsksADryRunAndStillBuildsWhatNoCacheHas() {
        TestFlake flake = TestFlake.create(tmp, "{ checks.${system}.a = mk \"a\" \"echo a\"; }");
        try (CiTestbed bed = new CiTestbed(tmp, "skip_substitutable = true")) {
            CiResult r = bed.run(flake.runHead());

            assertThat(r.summary()).isEqualTo("1 built");
            assertThat(bed.runner.commands()).anySatisfy(c -> assertThat(c).contains("--dry-run"));
        }
    }

    @Test
    void settingsControlWhatIsEvaluated() {
        TestFlake flake = TestFlake.create(tmp, """
                {
                  tests.${system}.t = mk "t" "echo t";
                  checks.${system}.c = mk "c" "echo c";
                  nixosConfigurations = {
                    web1.config.system.build.toplevel = mk "web1" "echo web1";
                    web2.config.system.build.toplevel = mk "web2" "echo web2";
                  };
                }""");
        try (CiTestbed bed = new CiTestbed(tmp, "checks_attribute = \"tests\"\nhosts = \"all\"")) {
            CiResult r = bed.run(CiRun.of(flake.flakeRef(flake.head()), "main", flake.head(), bed.settings.ci()));

            assertThat(r.attributes()).extracting(AttributeResult::attribute).containsExactly(
                    "nixosConfigurations.web1.config.system.build.toplevel",
                    "nixosConfigurations.web2.config.system.build.toplevel", "tests." + SYS + ".t");
            assertThat(r.systems()).containsOnlyKeys("web1", "web2");
            assertThat(r.succeeded()).isTrue();
        }
    }

    @Test
    void aBrokenFlakeIsOneEvaluationFailureNotACrash() {
        TestFlake flake = TestFlake.create(tmp, "{ checks.${system}.a = mk \"a\" \"echo a\"; }");
        String broken = flake.commit("{ checks.${system} = { a = ; }; }", "syntax error");
        try (CiTestbed bed = new CiTestbed(tmp, "", Map.of())) {
            CiResult r = bed.run(flake.run(broken));

            assertThat(r.succeeded()).isFalse();
            assertThat(r.attributes()).isNotEmpty().allSatisfy(a -> {
                assertThat(a.status()).isEqualTo(CiStatus.EVAL_FAILED);
                assertThat(a.error()).contains("syntax error");
            });
        }
    }
}
