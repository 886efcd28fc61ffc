package org.gitopssync.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandRunner;

/** Real store paths built offline by /bin/sh, fresh per call (a nonce in every derivation). */
final class TestStore {

    private static final String EXPRESSION = """
            { nonce, count }:
            let
              mk = name: deps: derivation {
                inherit name;
                system = builtins.currentSystem;
                builder = "/bin/sh";
                args = [ "-c" "echo ${nonce} ${toString deps} > $out" ];
              };
              base = mk "cache-test-base" [ ];
              mid = mk "cache-test-mid" [ base ];
              top = mk "cache-test-top" [ mid ];
              leaves = builtins.genList (i: mk "cache-test-leaf-${toString i}" [ ]) count;
            in
            [ top mid base ] ++ leaves
            """;

    private TestStore() {
    }

    /** A chain top -> mid -> base (indexes 0, 1, 2: the closure of [0] is all three) and {@code leaves} independent paths after it. */
    static List<String> build(Path workDir, int leaves) {
        try {
            Files.createDirectories(workDir);
            Path file = workDir.resolve("paths.nix");
            Files.writeString(file, EXPRESSION);
            String out = new CommandRunner().runChecked(Command.of("nix-build", "--no-out-link", "--quiet",
                    "--argstr", "nonce", UUID.randomUUID().toString(), "--arg", "count", Integer.toString(leaves),
                    file.toString()).capturingStdout(), Cancellation.none()).stdout();
            return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command that must succeed and returns its stdout. */
    static String run(String... argv) {
        return new CommandRunner().runChecked(Command.of(argv).capturingStdout(), Cancellation.none()).stdout();
    }

    /** Runs a command and returns its exit code. */
    static int exitCode(String... argv) {
        return new CommandRunner().run(Command.of(argv).capturingStdout(), Cancellation.none()).exitCode();
    }
}
