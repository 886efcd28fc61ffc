package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.gitopssync.cli.DocsTomlExamplesTest.Run;
import org.gitopssync.testing.DemoFlakeRepo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code secrets recipients} prints what age-keygen -y and ssh-to-age print for the host's keys. */
class SecretsRecipientsTest {

    @TempDir
    Path tmp;

    private static String run(Path dir, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.strip();
    }

    @Test
    void printsTheAgeRecipientOfEveryConfiguredKey() throws Exception {
        Path ageKey = tmp.resolve("age.key");
        run(tmp, "age-keygen", "-o", ageKey.toString());
        String x25519 = run(tmp, "age-keygen", "-y", ageKey.toString());
        Path sshKey = tmp.resolve("ssh_host_ed25519_key");
        Files.copy(DemoFlakeRepo.projectRoot().resolve("src/test/resources/vectors/keys/ssh/sops-nix-ssh-ed25519-key"), sshKey);
        Files.setPosixFilePermissions(sshKey, PosixFilePermissions.fromString("rw-------"));
        Path config = Files.writeString(tmp.resolve("gitops.toml"), """
                hostname = "web1"

                [repository]
                url = "https://git.example.com/infra/fleet.git"

                [secrets]
                age_key_files = ["%s"]
                ssh_key_paths = ["%s"]
                """.formatted(ageKey, sshKey));

        Run r = DocsTomlExamplesTest.run("secrets", "recipients", "--config", config.toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().lines().toList()).containsExactly(
                "# age recipients of web1: paste under creation_rules[].key_groups[].age in .sops.yaml, then run sops updatekeys",
                "- " + x25519 + "  # X25519 key in " + ageKey + " line 3",
                "- age1a8pk4akrdamj7nvqy3zywgtny8dxz7t5xzu7u8v9mhrayp9freqsqatyrs  # ssh-to-age of the ssh-ed25519 key " + sshKey);
        assertThat(r.stdout()).doesNotContain("AGE-SECRET-KEY");
    }

    @Test
    void aHostWithoutKeysIsToldHowToMakeOne() throws IOException {
        Path config = Files.writeString(tmp.resolve("gitops.toml"), """
                [repository]
                url = "https://git.example.com/infra/fleet.git"

                [secrets]
                ssh_key_paths = []
                """);

        Run r = DocsTomlExamplesTest.run("secrets", "recipients", "--config", config.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.stderr()).contains("this host has no age or ssh-ed25519 key", "age-keygen -o");
    }
}
