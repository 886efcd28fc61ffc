package org.gitopssync.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultAuthTest {

    @TempDir
    Path home;

    @Test
    void vaultTokenVariableWinsOverTheTokenFile() throws Exception {
        Files.writeString(home.resolve(".vault-token"), "hvs.from-file\n");

        assertThat(VaultAuth.sopsDefaultToken(Map.of("VAULT_TOKEN", "hvs.from-env"), home))
                .hasValueSatisfying(token -> {
                    assertThat(token.token().reveal()).isEqualTo("hvs.from-env");
                    assertThat(token.toString()).doesNotContain("hvs.from-env").contains("env VAULT_TOKEN");
                });
        assertThat(VaultAuth.sopsDefaultToken(Map.of(), home))
                .hasValueSatisfying(token -> assertThat(token.token().reveal()).isEqualTo("hvs.from-file"));
    }

    @Test
    void noTokenAnywhereIsEmpty() {
        assertThat(VaultAuth.sopsDefaultToken(Map.of("VAULT_TOKEN", " "), home)).isEmpty();
    }
}
