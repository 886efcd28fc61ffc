package org.gitopssync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh age key made with the real {@code age-keygen}, and encryption with the real {@code age}. */
public record AgeKeys(Path file, String recipient) {

    public static AgeKeys generate(Path file) {
        run(null, "age-keygen", "-o", file.toString());
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("# public key: ")) {
                    return new AgeKeys(file, line.substring("# public key: ".length()).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("age-keygen wrote no public key to " + file);
    }

    /** {@code age -r <recipient>}: a binary age file holding {@code plaintext}. */
    public byte[] encrypt(byte[] plaintext) {
        return run(plaintext, "age", "-r", recipient);
    }

    private static byte[] run(byte[] input, String... argv) {
        return Programs.output(new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD), input,
                String.join(" ", argv));
    }
}
