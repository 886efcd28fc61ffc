package org.gitopssync.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared sops/age test vectors, read in place from ../shared/fixtures (or $GITOPS_FIXTURES). */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path root() {
        String override = System.getenv("GITOPS_FIXTURES");
        Path root = override != null && !override.isBlank()
                ? Path.of(override)
                : Path.of("").toAbsolutePath().resolve("../shared/fixtures").normalize();
        if (!Files.isRegularFile(root.resolve("index.json"))) {
            throw new IllegalStateException("sops/age fixtures not found at " + root + " (set GITOPS_FIXTURES)");
        }
        return root;
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String relative) {
        return new String(bytes(relative), StandardCharsets.UTF_8);
    }
}
