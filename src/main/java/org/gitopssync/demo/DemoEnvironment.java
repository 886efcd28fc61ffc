package org.gitopssync.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.gitopssync.nix.NixSystem;

/**
 * A scratch world for {@code gitops-sync demo}: a git repository holding the bundled demo flake,
 * a configuration following it with the profile method, and a pretend machine root where the
 * demo system records its activations. Nothing outside the demo directory is touched.
 */
public final class DemoEnvironment {

    /** The files of {@code examples/demo-flake}, bundled as resources under {@code demo-flake/}. */
    static final List<String> FLAKE_FILES = List.of("flake.nix", "tar.nix", "local.nix");

    private final Path dir;

    public DemoEnvironment(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    public Path repository() {
        return dir.resolve("repo");
    }

    public Path machine() {
        return dir.resolve("machine");
    }

    public Path config() {
        return dir.resolve("gitops.toml");
    }

    /** Whether an earlier run already created the repository. */
    public boolean exists() {
        return Files.isDirectory(repository().resolve(".git")) && Files.exists(config());
    }

    /** Creates the repository (one commit) and the configuration; returns the commit id. */
    public String create() {
        try {
            Files.createDirectories(repository());
            for (String name : FLAKE_FILES) {
                try (InputStream in = DemoEnvironment.class.getResourceAsStream("/demo-flake/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("demo flake resource " + name + " is missing from the build");
                    }
                    Files.copy(in, repository().resolve(name));
                }
            }
            Files.writeString(repository().resolve("local.nix"), "# Written by `gitops-sync demo` for this machine.\n{\n"
                    + "  root = \"" + machine() + "\";\n  system = \"" + NixSystem.current() + "\";\n}\n");
            Files.createDirectories(dir.resolve("profiles"));
            Files.writeString(config(), configText());
            try (Git git = Git.init().setDirectory(repository().toFile()).setInitialBranch("main").call()) {
                git.add().addFilepattern(".").call();
                PersonIdent who = new PersonIdent("gitops-sync demo", "demo@gitops-sync.invalid");
                return git.commit().setMessage("initial demo system").setAuthor(who).setCommitter(who)
                        .setSign(false).call().getName();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo in " + dir, e);
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot commit the demo flake: " + e.getMessage(), e);
        }
    }

    String configText() {
        return """
                # gitops-sync demo configuration (written by `gitops-sync demo`).
                # The host "demo" follows the scratch repository next to this file; its "system"
                # records activations under machine/ instead of changing this computer.
                hostname = "demo"
                state_dir = "%s"

                [repository]
                url = "file://%s"
                branch = "main"
                poll_interval = "10s"
                randomized_delay = "0s"

                [deploy]
                method = "profile"
                operation = "switch"
                profile = "%s"
                current_system = "%s"

                [nix.options]
                # the demo builds everything locally; don't wait on binary caches
                substituters = ""
                """.formatted(dir.resolve("state"), repository(), dir.resolve("profiles/system"),
                machine().resolve("run/current-system"));
    }
}
