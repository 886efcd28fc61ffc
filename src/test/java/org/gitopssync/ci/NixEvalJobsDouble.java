package org.gitopssync.ci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A test double for nix-eval-jobs (not installed here): a script named {@code nix-eval-jobs}
 * that records its arguments and replays recorded JSON lines. For the checks it prints the
 * first lines, then waits on a gate (a fifo) before printing the rest, so a test can prove that
 * building starts while evaluation is still streaming.
 */
final class NixEvalJobsDouble {

    private final Path dir;

    private NixEvalJobsDouble(Path dir) {
        this.dir = dir;
    }

    /**
     * Writes the double into {@code dir}: {@code systemLines} answer a toplevel attribute, the
     * check lines are printed as {@code before}, the gate, {@code after}.
     */
    static NixEvalJobsDouble create(Path dir, List<String> systemLines, List<String> before, Path gate,
            List<String> after) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("system.jsonl"), systemLines);
            Files.write(dir.resolve("before.jsonl"), before);
            Files.write(dir.resolve("after.jsonl"), after);
            Path script = dir.resolve("nix-eval-jobs");
            Files.writeString(script, """
                    #!/bin/sh
                    # Test double standing in for nix-eval-jobs: replays recorded JSON lines.
                    printf '%%s\\n' "$@" >> '%1$s/calls'
                    echo '--' >> '%1$s/calls'
                    case "$*" in
                      *nixosConfigurations*) cat '%1$s/system.jsonl' ;;
                      *) cat '%1$s/before.jsonl'; read go < '%2$s'; cat '%1$s/after.jsonl' ;;
                    esac
                    """.formatted(dir, gate));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            return new NixEvalJobsDouble(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The runner environment that puts the double first on the PATH. */
    Map<String, String> path() {
        return Map.of("PATH", dir + ":" + System.getenv("PATH"));
    }

    /** Every invocation's arguments, one per line, invocations separated by "--". */
    String calls() {
        try {
            return Files.readString(dir.resolve("calls"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
