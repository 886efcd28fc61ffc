package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gitopssync.secrets.Fixtures;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.AppProcess;
import org.gitopssync.testing.AppProcess.Result;
import org.gitopssync.testing.DemoFlakeRepo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code secrets decrypt} and {@code secrets check} as the packaged program runs them. */
class SecretsCommandIT {

    @TempDir
    Path tmp;

    Path demoYaml;
    String demoKey;

    @BeforeEach
    void setUp() {
        demoYaml = DemoFlakeRepo.projectRoot().resolve("examples/demo-flake/secrets/demo.yaml");
        demoKey = AgentFixture.demoKey().toString();
    }

    private Result run(Map<String, String> env, String... args) {
        return AppProcess.run(tmp, env, args);
    }

    private Result run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void decryptPrintsExactlyWhatSopsPrints() {
        Result r = run("secrets", "decrypt", "--age-key-file", demoKey, demoYaml.toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("""
                # DEMO ONLY: encrypted to secrets/DEMO-ONLY-age.key, which is public.
                # Never put a real secret in this file. Regenerate with secrets/make-demo-secret.sh.
                api_token: demo-token-4f1d9a7c2b8e6035
                motd_signature: -- signed with a secret from secrets/demo.yaml
                database:
                    password: demo-db-password-9c27e1
                """);
        assertThat(r.stderr()).isEmpty();

        Result extract = run(Map.of("SOPS_AGE_KEY_FILE", demoKey), "secrets", "decrypt", "--extract",
                "[\"database\"][\"password\"]", demoYaml.toString());
        assertThat(extract.exitCode()).as(extract.stderr()).isZero();
        assertThat(extract.stdout()).isEqualTo("demo-db-password-9c27e1");
    }

    @Test
    void decryptHandlesEveryStoreAndPlainAgeFiles() {
        String kustomizeKey = Fixtures.path("keys/age/kustomize-controller.agekey").toString();
        assertThat(run("secrets", "decrypt", "--age-key-file", kustomizeKey,
                Fixtures.path("sops-age/kustomize-controller/envs/env.env").toString()).stdout()).isEqualTo("key=value\n");
        assertThat(run("secrets", "decrypt", "--age-key-file", kustomizeKey,
                Fixtures.path("sops-age/kustomize-controller/files/file.txt").toString()).stdout()).isEqualTo("value");
        assertThat(run("secrets", "decrypt", "--ssh-key", Fixtures.path("keys/ssh/agenix-user1").toString(),
                Fixtures.path("age-raw/agenix/secret1.age").toString()).stdout()).isEqualTo("hello\n");
        assertThat(run("secrets", "decrypt", "--ssh-key", Fixtures.path("keys/ssh/sops-nix-ssh-ed25519-key").toString(),
                "--extract", "[\"test_key\"]", Fixtures.path("sops-age/sops-nix/secrets.yaml").toString()).stdout())
                .isEqualTo("test_value");
    }

    @Test
    void failuresAreOneLineAndExitOne() throws IOException {
        Result noKey = run("secrets", "decrypt", demoYaml.toString());
        assertThat(noKey.exitCode()).isEqualTo(1);
        assertThat(noKey.stdout()).isEmpty();
        assertThat(noKey.stderr().strip()).startsWith("gitops-sync: no key opened " + demoYaml)
                .doesNotContain("Exception", "\n");

        Path moved = tmp.resolve("moved.yaml");
        Files.writeString(moved, Files.readString(demoYaml).replace("lastmodified: \"2025-03-04T05:06:07Z\"",
                "lastmodified: \"2025-03-04T05:06:08Z\""));
        Result mac = run("secrets", "decrypt", "--age-key-file", demoKey, moved.toString());
        assertThat(mac.exitCode()).isEqualTo(1);
        assertThat(mac.stderr()).contains("MAC mismatch");
        Result ignored = run("secrets", "decrypt", "--ignore-mac", "--age-key-file", demoKey, moved.toString());
        assertThat(ignored.exitCode()).as(ignored.stderr()).isZero();
        assertThat(ignored.stdout()).contains("api_token: demo-token-4f1d9a7c2b8e6035");

        Result usage = run("secrets", "decrypt", "--extract", "[\"a\"]", "--ssh-key",
                Fixtures.path("keys/ssh/agenix-user1").toString(), Fixtures.path("age-raw/agenix/secret1.age").toString());
        assertThat(usage.exitCode()).isEqualTo(2);
    }

    @Test
    void checkOpensTheBranchHeadsSecretsWithTheConfiguredKeysAndWritesNothing() {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp.resolve("check"));
        AgentFixture fixture = new AgentFixture(tmp.resolve("check"), repo);
        Path config = fixture.writeConfig();

        Result ok = run("secrets", "check", "--config", config.toString());

        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(ok.stdout()).contains(
                "checking secrets/manifest.toml at " + repo.head().substring(0, 12) + " \"initial demo system\"",
                "  identity: X25519 age1",
                "ok      secret \"demo/api-token\"       sops secrets/demo.yaml key api_token",
                "ok      template \"demo.env\"           inline template",
                "all 4 open; after a deploy: restart demo-greeter.service; reload demo-motd.service");
        assertThat(fixture.secretsRoot()).doesNotExist();

        Result decrypt = run("secrets", "decrypt", "--config", config.toString(), "--extract", "[\"api_token\"]",
                demoYaml.toString());
        assertThat(decrypt.stdout()).as("keys from the configuration").isEqualTo("demo-token-4f1d9a7c2b8e6035");

        repo.write("secrets/manifest.toml", """
                [[secrets]]
                name = "fine"
                sops_file = "secrets/demo.yaml"
                key = "api_token"
                [[secrets]]
                name = "broken"
                sops_file = "secrets/demo.yaml"
                key = "no/such/key"
                """);
        repo.commit("a key that is not there");

        Result failed = run("secrets", "check", "--config", config.toString());

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stdout()).contains("ok      secret \"fine\"",
                "FAILED  secrets/manifest.toml:5: secret \"broken\": secrets/demo.yaml: key 'no/such/key' not found",
                "1 of 2 do not open");
        assertThat(failed.stdout() + failed.stderr()).doesNotContain("demo-token-4f1d9a7c2b8e6035");
    }
}
