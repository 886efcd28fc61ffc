package org.gitopssync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** House rules that the compiler does not check: package layering and imports instead of inline qualified names. */
class SourceLayoutTest {

    private static final Path MAIN = Path.of("src/main/java/org/gitopssync");
    private static final Pattern PROJECT_IMPORT = Pattern.compile("^import (static )?org\\.gitopssync\\.([a-z]+)\\.");
    private static final Pattern QUALIFIED = Pattern.compile(
            "(^|[^.\\w\"/])(java|javax|org|com|io)\\.[a-z]\\w*(\\.[a-z]\\w*)*\\.[A-Z]\\w*");

    @Test
    void configDependsOnNothingElseInTheProject() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : sources(MAIN.resolve("config"))) {
            for (String line : Files.readAllLines(file)) {
                if (PROJECT_IMPORT.matcher(line).find()) {
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
