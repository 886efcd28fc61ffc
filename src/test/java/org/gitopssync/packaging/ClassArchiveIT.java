package org.gitopssync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.AppProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-shot entry point's class-data archive (bin/class-archive) holds picocli's classes: its jar is Java 5
 * bytecode, which a dynamic archive leaves out, and every command would then load them from the jar on each start.
 * It also holds the classes of commands other than the no-op sync that need no nix, such as Jackson's for --json and
 * the YAML and age classes of secrets decrypt.
 */
class ClassArchiveIT {

    @TempDir
    Path tmp;

    @Test
    void aOneShotCommandLoadsPicocliFromTheArchive() throws Exception {
        Path root = NixInstantiate.projectRoot();
        List<String> oneShot = AppProcess.oneShotEntry();
        String classPath = oneShot.get(oneShot.indexOf("-cp") + 1);
        List<String> flags = launcherFlags(root);
        Path archive = tmp.resolve("one-shot.jsa");

        List<String> record = new ArrayList<>(List.of("bash", root.resolve("bin/class-archive").toString(),
                root.resolve("target/quarkus-app").toString(), archive.toString(), classPath));
        record.addAll(flags);
        run(record, 0);

        // a configuration error: the file is missing
        List<String> picocli = loaded(flags, oneShot, archive, 2, "sync", "--config", tmp.resolve("missing.toml").toString())
                .stream().filter(l -> l.contains(" picocli.")).toList();
        assertThat(picocli).as("picocli classes loaded").isNotEmpty()
                .allMatch(l -> l.endsWith("source: shared objects file"));

        // the archive also holds what commands other than the no-op load, such as Jackson for --json
        Path config = tmp.resolve("gitops.toml");
        Files.writeString(config, "hostname = \"archive-test\"\nstate_dir = \"" + tmp.resolve("state")
                + "\"\n[repository]\nurl = \"https://git.example.com/hosts.git\"\nbranch = \"main\"\n");
        List<String> jackson = loaded(flags, oneShot, archive, 0, "config", "check", "--json", "--config",
                config.toString()).stream().filter(l -> l.contains(" com.fasterxml.jackson.")).toList();
        assertThat(jackson).as("Jackson classes loaded").hasSizeGreaterThan(100)
                .allMatch(l -> l.endsWith("source: shared objects file"));

        // and the secrets path: sops's YAML and age's decryption
        List<String> secrets = loaded(flags, oneShot, archive, 0, "secrets", "decrypt", "--age-key-file",
                AgentFixture.demoKey().toString(), root.resolve("examples/demo-flake/secrets/demo.yaml").toString())
                .stream().filter(l -> l.contains(" org.snakeyaml.") || l.contains(" com.exceptionfactory.jagged."))
                .toList();
        assertThat(secrets).as("YAML and age classes loaded").hasSizeGreaterThan(50)
                .allMatch(l -> l.endsWith("source: shared objects file"));
    }

    /** The class-load lines of one command run on the archive. */
    private List<String> loaded(List<String> flags, List<String> oneShot, Path archive, int exitCode, String... command)
            throws Exception {
        Path classes = tmp.resolve("classes-" + command[0] + ".txt");
        List<String> argv = new ArrayList<>(List.of("java"));
        argv.addAll(flags);
        // -Xshare:on: an archive the JVM cannot use is an error, not a silent start without it
        argv.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + classes));
        argv.addAll(oneShot.subList(1, oneShot.size()));
        argv.addAll(List.of(command));
        run(argv, exitCode);
        return Files.readAllLines(classes);
    }

    private void run(List<String> argv, int exitCode) throws Exception {
        Process p = new ProcessBuilder(argv).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(out).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv) + "\n" + out).isEqualTo(exitCode);
    }

    /** The one-shot JVM flags of bin/setup.sh (the Nix package's are the same, see JvmFlagsTest). */
    private static List<String> launcherFlags(Path root) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", ". bin/setup.sh && printf '%s\\n' \"${JAVA_FLAGS[@]}\"")
                .directory(root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }
}
