package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gitopssync.Cancellation;
import org.gitopssync.config.CiSettings;
import org.gitopssync.config.NixSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The nix-eval-jobs path: its command line, and builds starting while its stream is still open. */
class EvalJobsStreamTest {

    private static final String SYS = NixSystem.current();

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void jobsAreBuiltAsTheirLinesArriveAndErrorsStayWithTheirAttribute() throws Exception {
        TestFlake flake = TestFlake.create(tmp, """
                {
                  checks.${system} = { a = mk "a" "echo a"; b = mk "b" "echo b"; };
                  nixosConfigurations.demo.config.system.build.toplevel = mk "toplevel" "echo top";
                }""");
        String ref = flake.flakeRef(flake.head());
        Path gate = flake.fifo("eval-gate");
        NixEvalJobsDouble evalJobs = NixEvalJobsDouble.create(tmp.resolve("bin"),
                List.of(job(ref, "nixosConfigurations.demo.config.system.build.toplevel", "", "toplevel")),
                List.of(job(ref, "checks." + SYS + ".a", "a", "a")),
                gate,
                List.of("", job(ref, "checks." + SYS + ".b", "b", "b"),
                        "{\"attr\":\"boom\",\"attrPath\":[\"boom\"],\"error\":\"error: boom\"}"));
        String checkA = "checks." + SYS + ".a";
        CiListener openGateWhenABuilt = new CiListener() {
            @Override
            public void buildFinished(String drvPath, String label, CiStatus status, Duration took) {
                if (label.equals(checkA) && status == CiStatus.BUILT) {
                    // the double is blocked until a has built: without streaming this run never ends
                    Thread t = new Thread(() -> {
                        try (FileOutputStream out = new FileOutputStream(gate.toFile())) {
                            out.write("go\n".getBytes(StandardCharsets.UTF_8));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                }
            }
        };
        try (CiTestbed bed = new CiTestbed(tmp, "eval_workers = 3\neval_max_memory = 1024", evalJobs.path())) {
            CiResult r = bed.engine.run(flake.runHead().withHosts(CiSettings.Hosts.self()), Cancellation.none(),
                    openGateWhenABuilt);

            assertThat(r.summary()).isEqualTo("3 built, 1 eval-failed");
            assertThat(r.attributes()).filteredOn(a -> a.attribute().endsWith(".boom")).singleElement()
                    .satisfies(a -> assertThat(a.error()).isEqualTo("error: boom"));
            assertThat(r.systems()).containsKey("demo");
            assertThat(evalJobs.calls()).contains(
                    "--workers\n3\n", "--max-memory-size\n1024\n", "--force-recurse\n", "--check-cache-status\n",
                    "--gc-roots-dir\n" + bed.stateDir.resolve("gcroots/ci/" + r.runId() + "/eval") + "\n",
                    "--flake\n" + ref + "#checks." + SYS + "\n",
                    "--flake\n" + ref + "#nixosConfigurations.demo.config.system.build.toplevel\n");
            assertThat(bed.runner.commands()).as("nix eval was not needed")
                    .noneSatisfy(c -> assertThat(c).contains("--expr"));
        }
    }

    @Test
    void parsesJobLinesOfOldAndNewNixEvalJobs() {
        var line = EvalJobsEvaluator.parseLine("{\"attr\":\"x.y\",\"attrPath\":[\"x\",\"y\"],\"drvPath\":\"/nix/store/aaa-y.drv\","
                + "\"outputs\":{\"out\":\"/nix/store/bbb-y\",\"dev\":null},\"cacheStatus\":\"local\",\"neededBuilds\":[]}",
                path -> CiTarget.check("checks", SYS, path));
        assertThat(line.target().attribute()).isEqualTo("checks." + SYS + ".x.y");
        assertThat(line.outputs()).containsExactly(java.util.Map.entry("out", "/nix/store/bbb-y"));
        assertThat(line.cache()).isEqualTo(EvalJob.CacheStatus.LOCAL);

        var old = EvalJobsEvaluator.parseLine("{\"attr\":\"z\",\"drvPath\":\"/nix/store/c-z.drv\",\"isCached\":true,"
                + "\"outputs\":{\"out\":\"/nix/store/d-z\"}}", path -> CiTarget.check("checks", SYS, path));
        assertThat(old.target().name()).isEqualTo("z");
        assertThat(old.cache()).isEqualTo(EvalJob.CacheStatus.CACHED);

        assertThat(EvalJobsEvaluator.parseLine("warning: not json", p -> null)).isNull();
        assertThat(EvalJobsEvaluator.parseLine("", p -> null)).isNull();
    }

    /** A recorded line with the real derivation of {@code attribute}. */
    private static String job(String ref, String attribute, String attr, String name) {
        String drv = NixCli.evalRaw(ref + "#" + attribute + ".drvPath");
        String out = NixCli.evalRaw(ref + "#" + attribute + ".outPath");
        String path = attr.isEmpty() ? "[]" : "[\"" + attr + "\"]";
        return "{\"attr\":\"" + attr + "\",\"attrPath\":" + path + ",\"drvPath\":\"" + drv + "\",\"name\":\"" + name
                + "\",\"outputs\":{\"out\":\"" + out + "\"},\"system\":\"" + SYS + "\",\"cacheStatus\":\"notBuilt\","
                + "\"neededBuilds\":[\"" + drv + "\"],\"neededSubstitutes\":[]}";
    }
}
