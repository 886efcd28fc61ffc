package org.gitopssync.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandRunner;

/** Signing keys made by the real {@code nix key} commands, as an operator makes them. */
public final class NixKeys {

    /** A secret key file and its public key as {@code nix key convert-secret-to-public} prints it. */
    public record KeyPair(Path secretFile, String publicKey) {
    }

    private NixKeys() {
    }

    public static KeyPair generate(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            String secret = run(null, "nix", "key", "generate-secret", "--key-name", name);
            Path file = dir.resolve(name + ".sec");
            Files.writeString(file, secret);
            String pub = run(secret, "nix", "key", "convert-secret-to-public").strip();
            return new KeyPair(file, pub);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String run(String stdin, String... argv) {
        Command c = Command.of(argv).capturingStdout();
        if (stdin != null) {
            c = c.withStandardInput(stdin);
        }
        return new CommandRunner().runChecked(c, Cancellation.none()).stdout();
    }
}
