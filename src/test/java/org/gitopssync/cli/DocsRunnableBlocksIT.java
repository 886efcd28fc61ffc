package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gitopssync.testing.AppProcess;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.DocBlocks;
import org.gitopssync.testing.DocBlocks.Block;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ```` ```sh ```` block of README.md and docs/*.md marked {@code <!-- runnable -->} runs with
 * {@code bash -euo pipefail} on the demo, as a reader would type it: per doc file one temporary
 * directory (also HOME) where {@code gitops-sync demo} ran, {@code gitops-sync} (and
 * {@code bin/gitops-sync}) the packaged program, the file's blocks in order.
 */
class DocsRunnableBlocksIT {

    static final String MARKER = "runnable";

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicNode> everyRunnableShellBlockRunsOnTheDemo() {
        Map<String, List<Block>> byFile = new LinkedHashMap<>();
        for (Block b : DocBlocks.all("sh")) {
            if (MARKER.equals(b.marker())) {
                byFile.computeIfAbsent(file(b), f -> new ArrayList<>()).add(b);
            }
        }
        assertThat(byFile).containsKeys("README.md", "docs/operations.md", "docs/secrets.md");
        return byFile.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(),
                new DocFile(tmp.resolve(e.getKey().replace('/', '_')), e.getValue()).tests()));
    }

    @Test
    void theRunnableMarkerIsOnlyOnShellBlocks() throws IOException {
        Path root = DemoFlakeRepo.projectRoot();
        long marked = DocBlocks.all("sh").stream().filter(b -> MARKER.equals(b.marker())).count();
        long markers = 0;
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
        }
        Pattern marker = Pattern.compile("^\\s*<!--\\s*" + MARKER + "\\s*-->\\s*$", Pattern.MULTILINE);
        for (Path f : files) {
            markers += marker.matcher(Files.readString(f)).results().count();
        }
        assertThat(marked).as("every <!-- runnable --> marker stands on the line before a ```sh fence")
                .isEqualTo(markers).isPositive();
    }

    @Test
    void aFailingBlockIsReportedByTheDocLineOfItsFailingCommand() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("failing"));
        Outcome r = new DocFile(dir, List.of()).bash("echo fine\nls no-such-file | cat\necho not reached\n", 40);
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.failedAt()).as("the fence is line 40, the failing command its second line").isEqualTo("42");
        assertThat(r.output()).contains("fine").doesNotContain("not reached");
    }

    private static String file(Block b) {
        return b.where().substring(0, b.where().lastIndexOf(':'));
    }

    /** The blocks of one doc file, sharing one demo; after a failing block the rest are skipped. */
    private static final class DocFile {
        private final Path dir;
        private final List<Block> blocks;
        private String broken;

        DocFile(Path dir, List<Block> blocks) {
            this.dir = dir;
            this.blocks = blocks;
        }

        Stream<DynamicTest> tests() {
            Stream<DynamicTest> setup = Stream.of(DynamicTest.dynamicTest("gitops-sync demo", this::prepare));
            return Stream.concat(setup, blocks.stream().map(b -> DynamicTest.dynamicTest(b.where(), () -> run(b))));
        }

        private void prepare() throws Exception {
            Files.createDirectories(dir.resolve("bin"));
            Path wrapper = dir.resolve("bin/gitops-sync");
            // as bin/gitops-sync: daemon in the Quarkus container, the rest without it
            Files.writeString(wrapper, "#!/bin/sh\nflags='-XX:TieredStopAtLevel=1 -XX:+UseSerialGC'\n"
                    + "if [ \"${1:-}\" = daemon ]; then exec " + shellWords(AppProcess.quarkusEntry()) + " \"$@\"; fi\n"
                    + "exec " + shellWords(AppProcess.oneShotEntry()) + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
            broken = "the demo did not set up";
            Outcome demo = bash("gitops-sync demo\n", 0);
            assertThat(demo.exitCode()).as("gitops-sync demo in %s exits 0\n%s", dir, demo.output()).isZero();
            assertThat(dir.resolve(".demo/machine/etc/motd")).exists();
            broken = null;
        }

        private void run(Block block) throws Exception {
            Assumptions.assumeTrue(broken == null, () -> "skipped: " + broken);
            broken = block.where() + " failed";
            Outcome r = bash(block.text(), block.line());
            assertThat(r.exitCode()).as("%s: the runnable block exits 0%s\n%s", block.where(),
                    r.failedAt() == null ? "" : "; the failing command is at " + file(block) + ":" + r.failedAt(), r.output()).isZero();
            broken = null;
        }

        /** Runs {@code text} as a script; a failing command reports the doc line it stands on ({@code fence} + its line). */
        Outcome bash(String text, int fence) throws Exception {
            Path script = Files.createTempFile(dir.getParent(), "block-", ".sh");
            // line 1 is the trap, so $LINENO - 1 is the line within the block, and fence + that the doc's line
            Files.writeString(script, "trap 'echo \"@@failed:$((LINENO - 1 + " + fence + "))@@ exit $?: $BASH_COMMAND\" >&2' ERR\n"
                    + text);
            Path out = Files.createTempFile(dir.getParent(), "block-", ".out");
            ProcessBuilder pb = new ProcessBuilder("bash", "-Eeuo", "pipefail", script.toString())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("GITOPS_") || k.startsWith("SOPS_"));
            env.put("HOME", dir.toString());
            env.put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Outcome(-1, Files.readString(out) + "\n(did not finish within 5 minutes)", null);
            }
            String output = Files.readString(out);
            var m = Pattern.compile("@@failed:(\\d+)@@").matcher(output);
            return new Outcome(p.exitValue(), output, m.find() ? m.group(1) : null);
        }
    }

    /** How a block ended: exit code, stdout and stderr interleaved, the doc line of the failing command. */
    record Outcome(int exitCode, String output, String failedAt) {
    }

    /** java, the launchers' one-shot flags, then the entry point's arguments, each quoted for sh. */
    private static String shellWords(List<String> entry) {
        StringBuilder sb = new StringBuilder(entry.get(0)).append(" $flags");
        for (String word : entry.subList(1, entry.size())) {
            sb.append(" '").append(word).append('\'');
        }
        return sb.toString();
    }
}
