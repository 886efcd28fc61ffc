package org.gitopssync.secrets.install;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.gitopssync.testing.Mutations;
import org.junit.jupiter.api.Test;

/** A broken or hostile secrets/manifest.toml committed to the repository ends in a manifest or a one-line refusal. */
class ManifestMutationTest {

    private static final String MANIFEST = """
            default_sops_file = "secrets/host.yaml"

            [[secrets]]
            name = "db/password"
            key = "db/password"
            owner = "nobody"
            mode = "0440"
            path = "/etc/app/db-password"
            restart_units = ["app.service", "app-worker@1.service"]
            reload_units = ["nginx.service"]

            [[secrets]]
            name = "keytab"
            sops_file = "secrets/krb5.keytab"
            format = "binary"
            mode = "400"

            [[secrets]]
            name = "agenix"
            age_file = "secrets/secret1.age"

            [[secrets]]
            name = "vault/api"
            vault = "secret/app/api"
            field = "token"

            [[templates]]
            name = "app.conf"
            content = "password={{ secret \\"db/password\\" }}"
            """;

    @Test
    void mutatedManifestsEndInAManifestOrAOneLineRefusal() {
        SecretsManifest.parse("secrets/manifest.toml", MANIFEST.getBytes(StandardCharsets.UTF_8));

        Mutations.assertEveryInputEndsCleanly("manifest", Mutations.of(List.of(MANIFEST.getBytes(StandardCharsets.UTF_8)),
                1207L, 400), input -> SecretsManifest.parse("secrets/manifest.toml", input));
    }
}
