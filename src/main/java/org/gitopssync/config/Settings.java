package org.gitopssync.config;

import java.nio.file.Path;

/** The agent's whole configuration, immutable, as loaded from TOML plus environment overrides. */
public record Settings(
        Path file,
        String hostname,
        Path stateDir,
        RepositorySettings repository,
        DeploySettings deploy,
        NixSettings nix,
        WebSettings web,
        SecretsSettings secrets, java.util.Optional<VaultAccessSettings> vault) {

    /** Where cycle logs go: one file per cycle. */
    public Path logDir() {
        return stateDir.resolve("logs");
    }
}
