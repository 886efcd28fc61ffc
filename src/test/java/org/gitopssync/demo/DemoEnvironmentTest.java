package org.gitopssync.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.gitopssync.config.Settings;
import org.gitopssync.config.SettingsLoader;
import org.gitopssync.secrets.install.SecretsKeys;
import org.gitopssync.secrets.sops.SopsFile;
import org.gitopssync.secrets.sops.SopsFiles;
import org.gitopssync.testing.DemoFlakeRepo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoEnvironmentTest {

    @TempDir
    Path tmp;

    @Test
    void theBundledFileListIsExactlyTheDemoFlakeDirectory() throws IOException {
        Path flake = DemoFlakeRepo.projectRoot().resolve("examples/demo-flake");
        try (Stream<Path> walk = Files.walk(flake)) {
            assertThat(walk.filter(Files::isRegularFile).map(p -> flake.relativize(p).toString()))
                    .containsExactlyInAnyOrderElementsOf(DemoEnvironment.FLAKE_FILES);
        }
    }

    @Test
    void createCopiesTheSecretsAndTheDemoKeyAndConfiguresThem() throws IOException {
        DemoEnvironment demo = new DemoEnvironment(tmp.resolve("demo"));

        demo.create();

        assertThat(demo.repository().resolve("secrets/manifest.toml")).exists();
        assertThat(demo.repository().resolve("secrets/demo.yaml")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(demo.ageKey()))).isEqualTo("rw-------");
        assertThat(Files.readString(demo.ageKey())).startsWith("# DEMO ONLY — never use for real secrets.");
        Settings settings = new SettingsLoader(Map.of()).load(demo.config()).settings();
        assertThat(settings.secrets().root()).isEqualTo(demo.secretsRoot());
        assertThat(settings.secrets().ageKeyFiles()).containsExactly(demo.ageKey());
        assertThat(settings.secrets().sshKeyPaths()).isEmpty();
        assertThat(settings.secrets().restartCommand()).first().isEqualTo("echo");
    }

    @Test
    void theCommittedDemoSecretOpensWithTheDemoKey() {
        Path root = DemoFlakeRepo.projectRoot();
        SecretsKeys keys = new SecretsKeys(java.util.List.of(root.resolve("secrets/DEMO-ONLY-age.key")),
                java.util.List.of(), java.util.List.of(), Map.of(), java.util.Optional.empty());

        var doc = keys.sops().decrypt(SopsFile.parse(root.resolve("examples/demo-flake/secrets/demo.yaml")));

        SopsFiles.demoValues().forEach((key, value) -> assertThat(doc.value(key)).isEqualTo(value));
    }

    @Test
    void theNextStepItPrintsACommitWorksWithoutAGitIdentity() throws IOException, InterruptedException {
        DemoEnvironment demo = new DemoEnvironment(tmp.resolve("demo"));
        demo.create();
        Files.writeString(demo.repository().resolve("flake.nix"),
                Files.readString(demo.repository().resolve("flake.nix")).replace("Welcome", "Hello"));

        // an empty HOME and no system config: the git CLI only has the repository's own settings
        ProcessBuilder pb = new ProcessBuilder("git", "-C", demo.repository().toString(), "commit", "-qam", "new motd")
                .redirectErrorStream(true);
        pb.environment().put("HOME", Files.createDirectories(tmp.resolve("empty-home")).toString());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().remove("GIT_AUTHOR_NAME");
        pb.environment().remove("GIT_AUTHOR_EMAIL");
        pb.environment().remove("GIT_COMMITTER_NAME");
        pb.environment().remove("GIT_COMMITTER_EMAIL");
        pb.environment().remove("EMAIL");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
