package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.gitopssync.app.Daemon;
import org.gitopssync.secrets.install.SecretsManifest;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.DocBlocks;
import org.gitopssync.testing.DocBlocks.Block;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every TOML example of README.md, docs/*.md and examples/ is checked by the program: a
 * configuration by {@code config check --json} with zero warnings (a block marked
 * {@code <!-- config-fragment -->} merged into a minimal base), a manifest (marked
 * {@code <!-- manifest -->}, or named manifest.toml) by the manifest parser.
 */
class DocsTomlExamplesTest {

    /** What a fragment needs to be a whole configuration. */
    static final String BASE = """

            [repository]
            url = "https://git.example.com/infra/fleet.git"
            """;

    @TempDir
    Path tmp;

    /** The result of running {@code gitops-sync <args>} in this JVM. */
    record Run(int exitCode, String stdout, String stderr) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // as Launch runs it: no Quarkus container, so no daemon
        Supplier<Daemon> noDaemon = () -> {
            throw new IllegalStateException("the daemon needs the Quarkus container");
        };
        CommandLine cli = CommandLineSetup.create(null, noDaemon)
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @TestFactory
    Stream<DynamicTest> everyTomlExampleIsAcceptedWithoutWarnings() throws IOException {
        List<Block> blocks = DocBlocks.all("toml");
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(5);
        Stream<DynamicTest> docs = blocks.stream().map(b -> DynamicTest.dynamicTest(b.where(), () -> check(b)));
        Path examples = DemoFlakeRepo.projectRoot().resolve("examples");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(examples)) {
            files = walk.filter(p -> p.toString().endsWith(".toml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        Stream<DynamicTest> exampleFiles = files.stream().map(f -> DynamicTest.dynamicTest(
                examples.getParent().relativize(f).toString(), () -> check(new Block(f.toString(), 1,
                        f.getFileName().toString().equals("manifest.toml") ? "manifest" : null, Files.readString(f)))));
        return Stream.concat(docs, exampleFiles);
    }

    private void check(Block block) throws IOException {
        if ("manifest".equals(block.marker())) {
            SecretsManifest.parse(block.where(), block.text().getBytes(StandardCharsets.UTF_8));
            return;
        }
        String text = "config-fragment".equals(block.marker()) ? block.text() + BASE : block.text();
        Path config = Files.writeString(Files.createTempFile(tmp, "example", ".toml"), text);
        Run r = run("config", "check", "--json", "--config", config.toString());
        assertThat(r.exitCode()).as("%s: config check exits 0; stderr: %s", block.where(), r.stderr()).isZero();
        assertThat(r.stderr()).as("%s: no warnings", block.where()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(r.stdout());
        assertThat(json.path("valid").asBoolean()).isTrue();
        assertThat(json.path("warnings").size()).isZero();
        assertThat(json.path("settings").path("repository.url").asText()).isNotEmpty();
    }
}
