package org.gitopssync.ci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.gitopssync.config.NixSystem;
import org.gitopssync.testing.GitCli;

/**
 * A flake with no inputs, built by /bin/sh alone, in a real git repository. Every derivation
 * carries a salt unique to this instance, so nothing a previous test run built is found in the
 * store. {@code mk name script} makes a derivation whose script runs with shell builtins only;
 * {@code shared} is a world-writable directory where builders (running as nixbld users) and
 * the test can meet.
 */
final class TestFlake {

    private final Path dir;
    private final Path shared;
    private final String salt = UUID.randomUUID().toString();

    private TestFlake(Path dir, Path shared) {
        this.dir = dir;
        this.shared = shared;
    }

    /** A repository under {@code parent}/flake with {@code body} (an attribute set, may use mk, system, shared) committed. */
    static TestFlake create(Path parent, String body) {
        try {
            // builders run as nixbld users: they need to reach the shared directory
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path shared = parent.resolve("shared");
            Files.createDirectories(shared);
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path dir = parent.resolve("flake");
            Files.createDirectories(dir);
            TestFlake flake = new TestFlake(dir, shared);
            GitCli.run(dir, "init", "-q", "-b", "main");
            flake.commit(body, "initial");
            return flake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the flake's body and commits; returns the new commit. */
    String commit(String body, String message) {
        try {
            Files.writeString(dir.resolve("flake.nix"), """
                    {
                      outputs = { self }:
                        let
                          system = "%s";
                          salt = "%s";
                          shared = "%s";
                          mk = name: script: derivation {
                            inherit name system salt;
                            builder = "/bin/sh";
                            args = [ "-c" (script + "\\necho ok > $out") ];
                          };
                        in %s;
                    }
                    """.formatted(NixSystem.current(), salt, shared, body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GitCli.run(dir, "add", "-A");
        GitCli.run(dir, "commit", "-q", "-m", message);
        return head();
    }

    String head() {
        return GitCli.run(dir, "rev-parse", "HEAD");
    }

    Path shared() {
        return shared;
    }

    /** The exact-commit reference the agent would evaluate. */
    String flakeRef(String sha) {
        return "git+file://" + dir + "?ref=refs/heads/main&rev=" + sha;
    }

    /** The checks of a commit (add hosts with {@link CiRun#withHosts}). */
    CiRun run(String sha) {
        return new CiRun(flakeRef(sha), "main", sha, true,
                org.gitopssync.config.CiSettings.Hosts.none(), false, false, null);
    }

    CiRun runHead() {
        return run(head());
    }

    /** A fifo in the shared directory: a builder reading it blocks silently until the test writes. */
    Path fifo(String name) {
        Path fifo = shared.resolve(name);
        try {
            Process p = new ProcessBuilder("mkfifo", "-m", "666", fifo.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("mkfifo " + fifo + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return fifo;
    }
}
