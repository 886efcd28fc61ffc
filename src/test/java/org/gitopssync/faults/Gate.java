package org.gitopssync.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.gitopssync.testing.Processes;

/**
 * A named point a slow stage stops at: the shell snippet it runs writes {@code reached-<name>.<pid>}, then waits
 * (polling with /bin/sleep, no busy loop) until the test creates {@code open-<name>}. Derivations built
 * without a sandbox, the demo's switch-to-configuration and the CLI doubles all run it.
 */
final class Gate {

    private final Path dir;

    Gate(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            // builders run as the nixbld users: they must be able to write here (parents must be searchable)
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dir() {
        return dir;
    }

    /** POSIX sh that stops at {@code name} until it is opened; no quotes that would break a Nix string. */
    String shell(String name) {
        // one file per process: several builders (different nixbld users) may stop at the same gate
        return ": > " + dir.resolve("reached-" + name) + ".$$; while [ ! -e " + dir.resolve("open-" + name)
                + " ]; do /bin/sleep 0.1; done";
    }

    /** The same, but only when {@code armed-<name>} exists: for doubles every run calls. */
    String shellWhenArmed(String name) {
        return "if [ -e " + dir.resolve("armed-" + name) + " ]; then " + shell(name) + "; fi";
    }

    void arm(String name) {
        touch("armed-" + name);
    }

    boolean reached(String name) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("reached-" + name + "."));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void awaitReached(String name) throws InterruptedException {
        if (!Processes.await(() -> reached(name))) {
            throw new AssertionError("the agent never reached the " + name + " gate");
        }
    }

    /** Lets everything waiting at {@code name} go on, now and in later runs. */
    void open(String name) {
        touch("open-" + name);
        try {
            Files.deleteIfExists(dir.resolve("armed-" + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void touch(String file) {
        try {
            Files.writeString(dir.resolve(file), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
