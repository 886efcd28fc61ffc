package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.gitopssync.Cancellation;
import org.gitopssync.config.CiSettings;
import org.gitopssync.config.NixSystem;
import org.gitopssync.nix.Nix;
import org.gitopssync.nix.NixVersion;
import org.gitopssync.testing.GitCli;
import org.gitopssync.testing.RecordingCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit evaluated once is not evaluated again: the second run reuses the stored evaluation
 * after one validity check, builds only what is missing and reports what a fresh evaluation would.
 * Real nix, git and SQLite; evaluations are counted from the command lines the engine ran.
 */
class EvaluationReuseTest {

    private static final String SYS = NixSystem.current();

    @TempDir
    Path tmp;

    private static long evaluations(CiTestbed bed) {
        return bed.runner.commands().stream().filter(c -> c.get(0).equals("nix") && c.get(1).equals("eval")).count();
    }

    private static AttributeResult result(CiResult r, String name) {
        return r.attributes().stream().filter(a -> a.target().name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + r.attributes()));
    }

    /** What a run reports per attribute, without what differs from run to run (ids, logs, times). */
    private static List<String> reported(List<AttributeResult> results) {
        return results.stream().map(a -> a.attribute() + " " + a.status().word() + " " + a.drvPath() + " "
                + new TreeSet<>(a.outputs().entrySet().stream().map(Object::toString).toList())).sorted().toList();
    }

    private static Set<String> rootTargets(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            Set<String> out = new TreeSet<>();
            for (Path l : all.filter(Files::isSymbolicLink).toList()) {
                out.add(Files.readSymbolicLink(l).toString());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteFromStore(String path) {
        try {
            Process p = new ProcessBuilder("nix-store", "--delete", path).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as("nix-store --delete " + path + ": " + out).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sql(CiTestbed bed, String statement) {
        bed.store.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate(statement);
            }
        });
    }

    private static int remembered(CiTestbed bed) {
        return bed.engine.results().evaluations().size();
    }

    @Test
    void aSecondRunOfTheSameCommitEvaluatesNothingAndReportsWhatAFreshEvaluationReports() throws IOException {
        TestFlake flake = TestFlake.create(tmp, """
                let base = mk "base" "echo base"; in {
                  checks.${system} = { a = mk "a" "echo ${base}"; b = mk "b" "echo b"; };
                  nixosConfigurations.demo.config.system.build.toplevel = mk "toplevel" "echo top ${base}";
                }""");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiRun run = flake.runHead().withHosts(CiSettings.Hosts.self());
            CiResult first = bed.run(run);
            assertThat(first.summary()).isEqualTo("3 built");
            assertThat(evaluations(bed)).isEqualTo(1);
            assertThat(remembered(bed)).isEqualTo(1);
            bed.runner.clear();

            CiResult reused = bed.run(run);

            assertThat(evaluations(bed)).as("nix eval runs").isZero();
            assertThat(bed.runner.commands()).as("store queries").filteredOn(c -> c.contains("--check-validity"))
                    .hasSize(1);
            assertThat(bed.runner.commands()).noneSatisfy(c -> assertThat(c).contains("show-derivation"));
            assertThat(Files.readString(bed.stateDir.resolve("logs/ci/" + reused.runId() + "/eval.log")))
                    .contains("reusing the evaluation of", "at commit " + flake.head(), "from ci run " + first.runId());

            // the same commit once more with the stored evaluation gone: what the slow path reports
            sql(bed, "DELETE FROM ci_evaluation_attributes");
            sql(bed, "DELETE FROM ci_evaluations");
            bed.runner.clear();
            CiResult fresh = bed.run(run);
            assertThat(evaluations(bed)).isEqualTo(1);

            assertThat(reused.summary()).isEqualTo(fresh.summary()).isEqualTo("3 cached");
            assertThat(reported(reused.attributes())).isEqualTo(reported(fresh.attributes()));
            assertThat(reused.systems()).isEqualTo(fresh.systems()).isEqualTo(first.systems());
            assertThat(reported(bed.engine.results().results(reused.runId())))
                    .isEqualTo(reported(bed.engine.results().results(fresh.runId())));
            assertThat(bed.engine.results().run(reused.runId())).get().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo("succeeded");
                assertThat(r.summary()).isEqualTo("3 cached");
            });
            assertThat(rootTargets(bed.stateDir.resolve("gcroots/ci/" + reused.runId())))
                    .as("garbage-collector roots").isNotEmpty()
                    .isEqualTo(rootTargets(bed.stateDir.resolve("gcroots/ci/" + fresh.runId())));
        }
    }

    @Test
    void aPullRequestHeadFastForwardedOntoTheBranchReusesThePullRequestsEvaluation() {
        TestFlake flake = TestFlake.create(tmp, "{ checks.${system}.a = mk \"a\" \"echo a\"; }");
        String sha = flake.head();
        GitCli.run(tmp.resolve("flake"), "branch", "pr-7");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiRun pullRequest = new CiRun(flake.flakeRef(sha).replace("refs/heads/main", "refs/heads/pr-7"), "pr-7",
                    sha, true, CiSettings.Hosts.none(), false, false, null);
            assertThat(bed.run(pullRequest).summary()).isEqualTo("1 built");
            bed.runner.clear();

            CiResult merged = bed.run(flake.run(sha));

            assertThat(evaluations(bed)).isZero();
            assertThat(merged.summary()).isEqualTo("1 cached");
        }
    }

    @Test
    void aCommitWithTheSameTreeIsEvaluatedAgainBecauseAFlakeSeesItsOwnRevision() {
        TestFlake flake = TestFlake.create(tmp, """
                {
                  checks.${system} = {
                    plain = mk "plain" "echo plain";
                    labelled = mk "labelled" "echo ${self.rev or "dirty"}";
                  };
                }""");
        String pullRequestHead = flake.head();
        // a merge commit of the pull request: another commit, the same tree
        GitCli.run(tmp.resolve("flake"), "commit", "-q", "--allow-empty", "-m", "Merge pull request #7");
        String merge = flake.head();
        assertThat(GitCli.run(tmp.resolve("flake"), "rev-parse", merge + "^{tree}"))
                .isEqualTo(GitCli.run(tmp.resolve("flake"), "rev-parse", pullRequestHead + "^{tree}"));
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResult pr = bed.run(flake.run(pullRequestHead));
            bed.runner.clear();

            CiResult main = bed.run(flake.run(merge));

            assertThat(evaluations(bed)).as("the merge commit is evaluated").isEqualTo(1);
            assertThat(result(main, "plain").drvPath()).isEqualTo(result(pr, "plain").drvPath());
            assertThat(result(main, "labelled").drvPath()).as("self.rev differs, so does the derivation")
                    .isNotEqualTo(result(pr, "labelled").drvPath());
            assertThat(result(main, "labelled").status()).isEqualTo(CiStatus.BUILT);
        }
    }

    @Test
    void otherSettingsOrAnotherNixConfigurationAreAnotherEvaluation() {
        TestFlake flake = TestFlake.create(tmp, """
                {
                  checks.${system}.a = mk "a" "echo a";
                  nixosConfigurations.demo.config.system.build.toplevel = mk "toplevel" "echo top";
                }""");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiRun checksOnly = flake.runHead();
            bed.run(checksOnly);
            bed.runner.clear();

            CiResult withSystem = bed.run(checksOnly.withHosts(CiSettings.Hosts.self()));
            assertThat(evaluations(bed)).as("hosts changed").isEqualTo(1);
            assertThat(withSystem.systems()).containsOnlyKeys("demo");

            bed.runner.clear();
            bed.run(checksOnly.withHosts(CiSettings.Hosts.self()));
            bed.run(checksOnly);
            assertThat(evaluations(bed)).as("both selections remembered").isZero();

            CiEngine otherOptions = new CiEngine(new Nix(bed.runner, Map.of("allow-import-from-derivation", "false")),
                    new CiResultStore(bed.store), bed.settings.ci(), bed.settings.hostname(), bed.stateDir,
                    Clock.systemUTC());
            otherOptions.run(checksOnly, Cancellation.none());
            assertThat(evaluations(bed)).as("nix options changed").isEqualTo(1);
        }
    }

    @Test
    void anotherEvaluatorIsAnotherEvaluation() throws IOException {
        TestFlake flake = TestFlake.create(tmp, "{ checks.${system}.a = mk \"a\" \"echo a\"; }");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path calls = tmp.resolve("eval-jobs-calls");
        Path script = bin.resolve("nix-eval-jobs");
        Files.writeString(script, "#!/bin/sh\n# Test double standing in for nix-eval-jobs: records that it ran.\n"
                + "echo ran >> '" + calls + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            bed.run(flake.runHead());
            assertThat(remembered(bed)).isEqualTo(1);
            RecordingCommandRunner withEvalJobs = new RecordingCommandRunner(
                    Map.of("PATH", bin + ":" + System.getenv("PATH")));
            CiEngine other = new CiEngine(new Nix(withEvalJobs, Map.of()), new CiResultStore(bed.store),
                    bed.settings.ci(), bed.settings.hostname(), bed.stateDir, Clock.systemUTC());

            other.run(flake.runHead(), Cancellation.none());

            assertThat(calls).as("nix-eval-jobs on the PATH: evaluated, not replayed").exists();
        }
    }

    @Test
    void anImpureNixConfigInTheAgentsEnvironmentIsNeverRemembered() {
        TestFlake flake = TestFlake.create(tmp, "{ checks.${system}.a = mk \"a\" \"echo a\"; }");
        String inherited = System.getenv("NIX_CONFIG") == null ? "" : System.getenv("NIX_CONFIG");
        RecordingCommandRunner impure = new RecordingCommandRunner(
                Map.of("NIX_CONFIG", inherited + "\nallow-unsafe-native-code-during-evaluation = true"));
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiEngine engine = new CiEngine(new Nix(impure, Map.of()), new CiResultStore(bed.store),
                    bed.settings.ci(), bed.settings.hostname(), bed.stateDir, Clock.systemUTC());

            engine.run(flake.runHead(), Cancellation.none());
            CiResult again = engine.run(flake.runHead(), Cancellation.none());

            assertThat(remembered(bed)).isZero();
            assertThat(again.succeeded()).isTrue();
            assertThat(impure.commands()).filteredOn(c -> c.get(0).equals("nix") && c.get(1).equals("eval"))
                    .as("evaluated every time").hasSize(2);
        }
    }

    @Test
    void aChangedFlakeLockIsEvaluatedAgainAndAFlakeWithoutItsLockIsNeverRemembered() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dep = tmp.resolve("dep");
        Files.createDirectories(dep);
        GitCli.run(dep, "init", "-q", "-b", "main");
        Files.writeString(dep.resolve("flake.nix"), "{ outputs = { self }: { message = \"one\"; }; }\n");
        GitCli.run(dep, "add", "-A");
        GitCli.run(dep, "commit", "-q", "-m", "one");
        Path top = tmp.resolve("flake");
        Files.createDirectories(top);
        GitCli.run(top, "init", "-q", "-b", "main");
        Files.writeString(top.resolve("flake.nix"), """
                {
                  inputs.dep.url = "git+file://%s";
                  outputs = { self, dep }: {
                    checks.%s.uses-dep = derivation {
                      name = "uses-dep"; system = "%s"; salt = "%s"; builder = "/bin/sh";
                      args = [ "-c" "echo ${dep.message} > $out" ];
                    };
                  };
                }
                """.formatted(dep, SYS, SYS, tmp));
        GitCli.run(top, "add", "flake.nix");
        GitCli.run(top, "commit", "-q", "-m", "no lock file");
        String unlocked = GitCli.run(top, "rev-parse", "HEAD");
        nix(top, "flake", "lock");
        GitCli.run(top, "add", "flake.lock");
        GitCli.run(top, "commit", "-q", "-m", "lock");
        String locked = GitCli.run(top, "rev-parse", "HEAD");
        Files.writeString(dep.resolve("flake.nix"), "{ outputs = { self }: { message = \"two\"; }; }\n");
        GitCli.run(dep, "commit", "-q", "-am", "two");
        nix(top, "flake", "lock", "--update-input", "dep");
        GitCli.run(top, "commit", "-q", "-am", "update dep");
        String updated = GitCli.run(top, "rev-parse", "HEAD");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResult noLock = bed.run(runOf(top, unlocked));
            assertThat(noLock.succeeded()).as("nix refuses an input without a lock").isFalse();
            assertThat(remembered(bed)).isZero();

            CiResult first = bed.run(runOf(top, locked));
            assertThat(first.succeeded()).as(first.failureReport()).isTrue();
            assertThat(remembered(bed)).isEqualTo(1);
            bed.runner.clear();

            CiResult afterUpdate = bed.run(runOf(top, updated));

            assertThat(evaluations(bed)).as("a new flake.lock is a new evaluation").isEqualTo(1);
            assertThat(result(afterUpdate, "uses-dep").drvPath()).isNotEqualTo(result(first, "uses-dep").drvPath());
            assertThat(result(afterUpdate, "uses-dep").status()).isEqualTo(CiStatus.BUILT);

            // impure evaluation (pure-eval off) is never remembered
            sql(bed, "DELETE FROM ci_evaluation_attributes");
            sql(bed, "DELETE FROM ci_evaluations");
            CiEngine impure = new CiEngine(new Nix(bed.runner, Map.of("pure-eval", "false")),
                    new CiResultStore(bed.store), bed.settings.ci(), bed.settings.hostname(), bed.stateDir,
                    Clock.systemUTC());
            bed.runner.clear();
            CiResult once = impure.run(runOf(top, locked), Cancellation.none());
            CiResult twice = impure.run(runOf(top, locked), Cancellation.none());
            assertThat(once.succeeded()).as(once.failureReport()).isTrue();
            assertThat(twice.succeeded()).isTrue();
            assertThat(evaluations(bed)).as("evaluated every time").isEqualTo(2);
            assertThat(remembered(bed)).isZero();
        }
    }

    @Test
    void aCheckoutWhoseLockFileLacksAnInputIsNotRememberedAndItsLockFileIsNotWritten() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dep = Files.createDirectories(tmp.resolve("dep"));
        GitCli.run(dep, "init", "-q", "-b", "main");
        Files.writeString(dep.resolve("flake.nix"), "{ outputs = { self }: { message = \"one\"; }; }\n");
        GitCli.run(dep, "add", "-A");
        GitCli.run(dep, "commit", "-q", "-m", "one");
        Path top = Files.createDirectories(tmp.resolve("top"));
        GitCli.run(top, "init", "-q", "-b", "main");
        Files.writeString(top.resolve("flake.nix"), """
                { inputs.dep.url = "git+file://%s"; outputs = { self, dep }: { message = dep.message; }; }
                """.formatted(dep));
        GitCli.run(top, "add", "flake.nix");
        GitCli.run(top, "commit", "-q", "-m", "no lock file");
        String sha = GitCli.run(top, "rev-parse", "HEAD");
        // nix eval refuses such a flake in pure mode; an evaluator that does not (nix-eval-jobs locks in memory)
        // is stood in for by a double answering with a check of another flake
        TestFlake other = TestFlake.create(Files.createDirectories(tmp.resolve("other")), "{ checks.${system}.a = mk \"a\" \"echo a\"; }");
        String attribute = other.flakeRef(other.head()) + "#checks." + SYS + ".a";
        String drv = NixCli.evalRaw(attribute + ".drvPath");
        String out = NixCli.evalRaw(attribute + ".outPath");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path script = bin.resolve("nix-eval-jobs");
        Files.writeString(script, "#!/bin/sh\n# Test double standing in for nix-eval-jobs: one check, evaluated.\n"
                + "echo '{\"attr\":\"a\",\"attrPath\":[\"a\"],\"drvPath\":\"" + drv + "\",\"name\":\"a\","
                + "\"outputs\":{\"out\":\"" + out + "\"},\"system\":\"" + SYS + "\"}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (CiTestbed bed = new CiTestbed(tmp, "", Map.of("PATH", bin + ":" + System.getenv("PATH")))) {
            CiResult r = bed.run(new CiRun("git+file://" + top, "main", sha, true, CiSettings.Hosts.none(), false,
                    false, null));

            assertThat(r.succeeded()).as(r.failureReport()).isTrue();
            assertThat(remembered(bed)).isZero();
            assertThat(top.resolve("flake.lock")).as("the checkout is left as it was").doesNotExist();
            assertThat(bed.runner.commands()).filteredOn(c -> c.contains("metadata"))
                    .allSatisfy(c -> assertThat(c).contains("--no-update-lock-file"));
        }
    }

    @Test
    void aCollectedOutputOrDerivationIsEvaluatedAgainSoThatWhatIsBuiltHasItsDerivationsRooted() throws IOException {
        TestFlake flake = TestFlake.create(tmp, "{ checks.${system} = { a = mk \"a\" \"echo a\"; b = mk \"b\" \"echo b\"; }; }");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResult first = bed.run(flake.runHead());
            AttributeResult a = result(first, "a");
            bed.engine.releaseRoots(first.runId());
            deleteFromStore(a.out());
            bed.runner.clear();

            CiResult second = bed.run(flake.runHead());

            // a replay cannot root the derivation it would build: a collection before the build would fail the run
            assertThat(evaluations(bed)).as("an output is missing: evaluate").isEqualTo(1);
            assertThat(Files.readString(bed.stateDir.resolve("logs/ci/" + second.runId() + "/eval.log")))
                    .doesNotContain("reusing the evaluation of");
            assertThat(result(second, "a").status()).isEqualTo(CiStatus.BUILT);
            assertThat(result(second, "b").status()).isEqualTo(CiStatus.CACHED);
            assertThat(second.derivationsBuilt()).isEqualTo(1);
            assertThat(rootTargets(bed.stateDir.resolve("gcroots/ci/" + second.runId()))).contains(a.out());

            bed.engine.releaseRoots(second.runId());
            deleteFromStore(a.out());
            deleteFromStore(a.drvPath());
            bed.runner.clear();

            CiResult third = bed.run(flake.runHead());

            assertThat(evaluations(bed)).as("the derivation is gone: evaluate").isEqualTo(1);
            assertThat(result(third, "a").status()).isEqualTo(CiStatus.BUILT);
            assertThat(result(third, "a").drvPath()).isEqualTo(a.drvPath());
            assertThat(third.succeeded()).isTrue();
        }
    }

    @Test
    void aStateDatabaseThatCannotDropAnEntryDoesNotFailTheRun() {
        TestFlake flake = TestFlake.create(tmp, "{ checks.${system}.a = mk \"a\" \"echo a\"; }");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            CiResult first = bed.run(flake.runHead());
            AttributeResult a = result(first, "a");
            bed.engine.releaseRoots(first.runId());
            deleteFromStore(a.out());
            deleteFromStore(a.drvPath());
            // real SQLite refusing the delete, as a full or read-only database would
            sql(bed, "CREATE TRIGGER refuse_forget BEFORE DELETE ON ci_evaluations"
                    + " BEGIN SELECT RAISE(ABORT, 'the database refuses'); END");
            bed.runner.clear();

            CiResult second = bed.run(flake.runHead());

            assertThat(second.succeeded()).isTrue();
            assertThat(evaluations(bed)).isEqualTo(1);
            assertThat(result(second, "a").status()).isEqualTo(CiStatus.BUILT);
        }
    }

    @Test
    void anEntryThatDoesNotReadBackWholeIsDroppedNotTrusted() {
        TestFlake flake = TestFlake.create(tmp, "{ checks.${system} = { a = mk \"a\" \"echo a\"; b = mk \"b\" \"echo b\"; }; }");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            bed.run(flake.runHead());
            // one attribute row missing, as if written without its transaction
            bed.store.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM ci_evaluation_attributes WHERE attribute LIKE ?")) {
                    ps.setString(1, "%.a");
                    return ps.executeUpdate();
                }
            });
            bed.runner.clear();

            CiResult r = bed.run(flake.runHead());

            assertThat(evaluations(bed)).isEqualTo(1);
            assertThat(r.attributes()).extracting(a -> a.target().name()).containsExactlyInAnyOrder("a", "b");
            assertThat(r.summary()).isEqualTo("2 cached");

            // a path that is not a store path is not followed either
            sql(bed, "UPDATE ci_evaluation_attributes SET outputs = 'out=/etc/passwd'");
            bed.runner.clear();
            CiResult again = bed.run(flake.runHead());
            assertThat(evaluations(bed)).isEqualTo(1);
            assertThat(again.summary()).isEqualTo("2 cached");
            assertThat(bed.runner.commands()).noneSatisfy(c -> assertThat(c).contains("/etc/passwd"));
        }
    }

    @Test
    void onlyTheMostRecentlyUsedEvaluationsAreKept() {
        TestFlake flake = TestFlake.create(tmp, "{ checks.${system}.a = mk \"a\" \"echo a\"; }");
        try (CiTestbed bed = new CiTestbed(tmp, "")) {
            RememberedEvaluations memory = bed.engine.results().evaluations();
            EvalRequest request = new EvalRequest("flake", "checks", SYS, true, List.of(), false, tmp, tmp);
            CiResult r = bed.run(flake.runHead());
            AttributeResult a = r.attributes().get(0);
            List<EvaluatedAttribute> attributes = List.of(new EvaluatedAttribute(a.target(), a.drvPath(), a.outputs()));
            Instant t = Instant.parse("2026-01-01T00:00:00Z");
            NixVersion nix = NixVersion.parse("nix (Nix) 2.8.0");
            for (int i = 0; i < RememberedEvaluations.KEEP + 5; i++) {
                memory.remember(EvaluationKey.of("commit-" + i, request, nix, "nix eval", Map.of(), null), 1, attributes, t.plusSeconds(i));
            }

            assertThat(memory.size()).isEqualTo(RememberedEvaluations.KEEP);
            assertThat(memory.recall(EvaluationKey.of("commit-0", request, nix, "nix eval", Map.of(), null), t)).isEmpty();
            assertThat(memory.recall(EvaluationKey.of("commit-" + (RememberedEvaluations.KEEP + 4), request, nix,
                    "nix eval", Map.of(), null), t)).isPresent();
        }
    }

    private static CiRun runOf(Path repo, String sha) {
        return new CiRun("git+file://" + repo + "?ref=refs/heads/main&rev=" + sha, "main", sha, true,
                CiSettings.Hosts.none(), false, false, null);
    }

    private static void nix(Path dir, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("nix", "--extra-experimental-features", "nix-command flakes"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
    }
}
