package org.gitopssync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every {@code *.nix} file of the repository parses with the real {@code nix-instantiate --parse}. */
class NixFilesParseTest {

    /** Build output, scratch demo runs and version control: not sources. */
    private static final Set<String> SKIPPED_DIRS = Set.of("target", ".git", ".demo", "node_modules", "result");

    static List<Path> nixFiles() throws IOException {
        Path root = NixInstantiate.projectRoot();
        try (Stream<Path> walk = Files.walk(root)) {
            return walk
                    .filter(p -> root.relativize(p).getNameCount() > 0)
                    .filter(p -> {
                        for (Path part : root.relativize(p)) {
                            if (SKIPPED_DIRS.contains(part.toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .filter(p -> p.getFileName().toString().endsWith(".nix") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void findsTheNixFiles() throws IOException {
        List<String> names = nixFiles().stream().map(p -> NixInstantiate.projectRoot().relativize(p).toString()).toList();
        assertThat(names).contains("flake.nix", "nix/module.nix", "nix/package.nix", "nix/lib.nix",
                "nix/tests/sync.nix", "examples/demo-flake/flake.nix");
        assertThat(names).noneMatch(n -> n.startsWith("target/"));
    }

    @TestFactory
    Stream<DynamicTest> everyNixFileParses() throws IOException {
        Path root = NixInstantiate.projectRoot();
        return nixFiles().stream().map(file -> {
            String name = root.relativize(file).toString();
            return DynamicTest.dynamicTest(name, () -> {
                NixInstantiate.Result r = NixInstantiate.run(List.of("--parse", file.toString()));
                assertThat(r.exitCode())
                        .withFailMessage("%s does not parse (nix-instantiate --parse exit %d):%n%s", name, r.exitCode(), r.stderr())
                        .isZero();
            });
        });
    }
}
