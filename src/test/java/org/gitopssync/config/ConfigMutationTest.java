package org.gitopssync.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gitopssync.testing.Mutations;
import org.junit.jupiter.api.Test;

/** Broken and hostile configuration files end in settings or a one-line error naming the file. */
class ConfigMutationTest {

    private static final String CONFIG = """
            hostname = "web1"
            state_dir = "/var/lib/gitops-sync"

            [repository]
            url = "https://git.example.com/infra/fleet.git"
            branch = "main"
            poll_interval = "5min"
            randomized_delay = 30
            credentials = { env = "GIT_TOKEN" }

            [repository.ssh]
            known_hosts = "/etc/ssh/ssh_known_hosts"

            [deploy]
            method = "profile"
            operation = "switch"
            activation_timeout = "30m"

            [nix.options]
            cores = "2"

            [ci]
            hosts = ["web1", "web2"]
            max_build_duration = "4h"

            [[caches]]
            id = "local"
            type = "nix-copy"
            destination = "file:///var/cache/nix"
            permissions = { branches = ["main"] }

            [[forges]]
            type = "github"
            app_id = 12345
            installation_id = 678
            private_key = { file = "/run/keys/app.pem" }

            [security]
            trusted_authors = ["alice", "bob"]

            [secrets]
            age_key_files = ["/var/lib/gitops-sync/age.key"]
            restart_command = ["systemctl"]

            [vault]
            address = "https://vault.example.com:8200"
            auth = "approle"
            role_id = { file = "/run/keys/vault-role-id" }
            secret_id = { file = "/run/keys/vault-secret-id" }
            """;

    @Test
    void mutatedConfigurationsEndInSettingsOrAOneLineError() {
        SettingsLoader loader = new SettingsLoader(Map.of());
        loader.parse(Path.of("gitops.toml"), CONFIG);

        Mutations.assertEveryInputEndsCleanly("config", Mutations.of(List.of(CONFIG.getBytes(StandardCharsets.UTF_8)),
                42L, 400), input -> loader.parse(Path.of("gitops.toml"), new String(input, StandardCharsets.UTF_8)));
    }
}
