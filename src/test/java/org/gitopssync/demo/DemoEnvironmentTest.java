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
}
