package org.gitopssync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** House rules that the compiler does not check: package layering and imports instead of inline qualified names. */
class SourceLayoutTest {

    private static final Path MAIN = Path.of("src/main/java/org/gitopssync");
    private static final Pattern PROJECT_IMPORT = Pattern.compile("^import (static )?org\\.gitopssync\\.([a-z]+)\\.");
    private static final Pattern QUALIFIED = Pattern.compile(
            "(^|[^.\\w\"/])(java|javax|org|com|io)\\.[a-z]\\w*(\\.[a-z]\\w*)*\\.[A-Z]\\w*");

    /**
     * The layers, lowest first: a package may import its own layer and the layers below it, never one above.
     * The root package (errors, cancellation) is the bottom; a new package must be placed here.
     */
    private static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("config", 1), Map.entry("state", 1),
            Map.entry("nix", 2),
            Map.entry("source", 3), Map.entry("secrets", 3), Map.entry("ci", 3), Map.entry("cache", 3),
            Map.entry("deploy", 3), Map.entry("forge", 3), Map.entry("demo", 3), Map.entry("fleet", 3),
            Map.entry("reconcile", 4),
            Map.entry("report", 5), Map.entry("review", 5), Map.entry("metrics", 5), Map.entry("web", 5),
            Map.entry("events", 5),
            Map.entry("app", 6),
            Map.entry("cli", 7));

    @Test
    void packagesDependDownwardOnly() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(MAIN)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String pkg = dir.getFileName().toString();
                assertThat(LAYER).as("package %s needs a place in the layer map", pkg).containsKey(pkg);
                for (Path file : sources(dir)) {
                    for (String line : Files.readAllLines(file)) {
                        Matcher m = PROJECT_IMPORT.matcher(line);
                        if (m.find() && LAYER.getOrDefault(m.group(2), 0) > LAYER.get(pkg)) {
                            offenders.add(MAIN.relativize(file) + ": " + line);
                        }
                    }
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void configDependsOnNothingElseInTheProject() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : sources(MAIN.resolve("config"))) {
            for (String line : Files.readAllLines(file)) {
                Matcher m = PROJECT_IMPORT.matcher(line);
                if (m.find() && !m.group(2).equals("config")) {
                    offenders.add(file.getFileName() + ": " + line);
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    /** The TOML reader is the bottom of config: it knows nothing of settings, so secrets can share it. */
    @Test
    void tomlReaderDependsOnNothingInTheProject() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : sources(MAIN.resolve("config/toml"))) {
            for (String line : Files.readAllLines(file)) {
                if (PROJECT_IMPORT.matcher(line).find() && !line.startsWith("import org.gitopssync.config.toml.")) {
                    offenders.add(file.getFileName() + ": " + line);
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void noInlineFullyQualifiedClassNames() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : sources(MAIN)) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("import ") || line.startsWith("package ") || line.startsWith("*")
                        || line.startsWith("/*") || line.startsWith("//")) {
                    continue;
                }
                if (QUALIFIED.matcher(line).find()) {
                    offenders.add(MAIN.relativize(file) + ":" + (i + 1) + ": " + line);
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    private static List<Path> sources(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }
}
