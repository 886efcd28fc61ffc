package org.gitopssync.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.StoredConfig;
import org.gitopssync.config.NixSystem;

/**
 * A scratch world for {@code gitops-sync demo}: a git repository holding the bundled demo flake,
 * a configuration following it with the profile method, and a pretend machine root where the
 * demo system records its activations. Nothing outside the demo directory is touched.
 */
public final class DemoEnvironment {

    /** The files of {@code examples/demo-flake}, bundled as resources under {@code demo-flake/}. */
    static final List<String> FLAKE_FILES = List.of("flake.nix", "tar.nix", "local.nix", "secrets/manifest.toml",
            "secrets/demo.yaml");

    /** The public, demo-only age key that opens secrets/demo.yaml, bundled under {@code demo-secrets/}. */
    static final String DEMO_KEY = "DEMO-ONLY-age.key";

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

    /** Where the demo installs its secrets ({@code current} is the live generation). */
    public Path secretsRoot() {
        return dir.resolve("secrets");
    }

    /** The demo-only age key, copied here with mode 0600. */
    public Path ageKey() {
        return dir.resolve("keys").resolve(DEMO_KEY);
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
                Files.createDirectories(repository().resolve(name).getParent());
                Files.write(repository().resolve(name), resource("/demo-flake/" + name));
            }
            Files.createDirectories(ageKey().getParent());
            Files.write(Files.createFile(ageKey(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))), resource("/demo-secrets/" + DEMO_KEY));
            Files.writeString(repository().resolve("local.nix"), "# Written by `gitops-sync demo` for this machine.\n{\n"
                    + "  root = \"" + machine() + "\";\n  system = \"" + NixSystem.current() + "\";\n}\n");
            Files.createDirectories(dir.resolve("profiles"));
            Files.writeString(config(), configText());
            try (Git git = Git.init().setDirectory(repository().toFile()).setInitialBranch("main").call()) {
                // the printed next step is a `git commit` there: it must work on a machine with no git identity
                StoredConfig config = git.getRepository().getConfig();
                config.setString("user", null, "name", "gitops-sync demo");
                config.setString("user", null, "email", "demo@gitops-sync.invalid");
                config.setBoolean("commit", null, "gpgsign", false);
                config.save();
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

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DemoEnvironment.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("demo resource " + name + " is missing from the build");
            }
            return in.readAllBytes();
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

                [secrets]
                # installed generations live here; current -> the live one
                root = "%s"
                # the public DEMO-ONLY key that opens repo/secrets/demo.yaml (never use it for real secrets)
                age_key_files = ["%s"]
                ssh_key_paths = []
                # the demo restarts no real units: the command is only echoed into the cycle log
                restart_command = ["echo", "demo (not run): systemctl"]
                """.formatted(dir.resolve("state"), repository(), dir.resolve("profiles/system"),
                machine().resolve("run/current-system"), secretsRoot(), ageKey());
    }
}
