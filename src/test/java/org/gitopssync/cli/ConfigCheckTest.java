package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gitopssync.cli.DocsTomlExamplesTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config check} says valid only for what every command, the daemon included, accepts. */
class ConfigCheckTest {

    @TempDir
    Path tmp;

    private Run check(String toml) throws IOException {
        Path f = Files.writeString(tmp.resolve("gitops.toml"), toml);
        return DocsTomlExamplesTest.run("config", "check", "--config", f.toString());
    }

    private static final String FORGE_WITHOUT_SECRET = """
            [repository]
            url = "https://git.example.com/infra/fleet.git"

            [[forges]]
            type = "gitea"
            api_url = "https://git.example.com"
            credentials = { env = "FORGE_TOKEN" }
            """;

    @Test
    void webEnabledWithAForgeWithoutWebhookSecretIsRefusedAsTheDaemonWould() throws IOException {
        Run r = check(FORGE_WITHOUT_SECRET + "\n[web]\nenable = true\n");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("forges[0].webhook_secret: required when web.enable = true");
        assertThat(r.stdout()).doesNotContain("valid");
    }

    @Test
    void theSameForgeIsFineWithoutTheWebEndpointOrWithASecret() throws IOException {
        assertThat(check(FORGE_WITHOUT_SECRET).exitCode()).isZero();
        assertThat(check(FORGE_WITHOUT_SECRET + "webhook_secret = { env = \"HOOK\" }\n\n[web]\nenable = true\n").exitCode())
                .isZero();
    }

    @Test
    void aVaultCredentialWithoutAVaultSectionIsRefused() throws IOException {
        Run r = check("""
                [repository]
                url = "https://git.example.com/infra/fleet.git"
                credentials = { vault = "secret/git#token" }
                """);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("repository.credentials: reads vault secret/git#token, but there is no [vault] section");
    }
}
