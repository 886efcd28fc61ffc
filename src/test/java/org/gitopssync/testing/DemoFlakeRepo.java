package org.gitopssync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.gitopssync.config.NixSystem;

/**
 * A git repository holding a copy of {@code examples/demo-flake}, changed and committed with the
 * real git CLI: the "remote" a test agent follows. Activations are recorded under {@link #root()}.
 */
public final class DemoFlakeRepo {

    private final Path dir;
    private final Path root;

    private DemoFlakeRepo(Path dir, Path root) {
        this.dir = dir;
        this.root = root;
    }

    /** Creates the repository under {@code parent}/remote with one commit on main. */
    public static DemoFlakeRepo create(Path parent) {
        Path dir = parent.resolve("remote");
        Path root = parent.resolve("machine");
        copyTree(projectRoot().resolve("examples/demo-flake"), dir);
        DemoFlakeRepo repo = new DemoFlakeRepo(dir, root);
        repo.write("local.nix", "{ root = \"" + root + "\"; system = \"" + NixSystem.current() + "\"; }\n");
        GitCli.run(dir, "init", "-q", "-b", "main");
        GitCli.run(dir, "add", "-A");
        GitCli.run(dir, "commit", "-q", "-m", "initial demo system");
        return repo;
    }

    public static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("examples/demo-flake/flake.nix"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the project root from " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    public Path dir() {
        return dir;
    }

    /** Where the demo system records its activations (etc/motd, run/current-system, activations.log). */
    public Path root() {
        return root;
    }

    public String url() {
        return "file://" + dir;
    }

    public String head() {
        return GitCli.run(dir, "rev-parse", "HEAD");
    }

    public DemoFlakeRepo write(String path, String content) {
        try {
            Path f = dir.resolve(path);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces text in a file of the flake, failing if the text is not there. */
    public DemoFlakeRepo edit(String path, String from, String to) {
        try {
            Path f = dir.resolve(path);
            String s = Files.readString(f);
            if (!s.contains(from)) {
                throw new IllegalArgumentException(path + " does not contain " + from);
            }
            Files.writeString(f, s.replace(from, to));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Changes the message of the day: a new system with a new package version. */
    public String commitMotd(String text) {
        edit("flake.nix", currentMotdLine(), "text = \"" + text + "\\n\";");
        return commit("motd: " + text);
    }

    private String currentMotdLine() {
        try {
            String s = Files.readString(dir.resolve("flake.nix"));
            int i = s.indexOf("pname = \"demo-motd\";");
            int t = s.indexOf("text = \"", i);
            int end = s.indexOf("\";", t);
            return s.substring(t, end + 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String commit(String message) {
        GitCli.run(dir, "add", "-A");
        GitCli.run(dir, "commit", "-q", "-m", message);
        return head();
    }

    /** Rewrites history: the branch now points at {@code sha} (as after {@code git push --force}). */
    public void resetHard(String sha) {
        GitCli.run(dir, "reset", "-q", "--hard", sha);
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
