package org.gitopssync.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The public sops/age/agenix known-answer vectors shipped with the tests (src/test/resources/vectors, see its NOTICE). */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path root() {
        URL index = Fixtures.class.getResource("/vectors/index.json");
        if (index == null) {
            throw new IllegalStateException("test vectors missing from the test classpath (src/test/resources/vectors)");
        }
        try {
            return Path.of(index.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
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
