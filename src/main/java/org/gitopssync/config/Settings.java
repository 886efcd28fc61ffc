package org.gitopssync.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The agent's whole configuration, immutable, as loaded from TOML plus environment overrides. */
public record Settings(
        Path file,
        String hostname,
        Path stateDir,
        RepositorySettings repository,
        DeploySettings deploy,
        NixSettings nix,
        WebSettings web,
        CiSettings ci,
        List<CacheSettings> caches,
        List<ForgeSettings> forges,
        SecuritySettings security,
        PullRequestSettings pullRequests,
        SecretsSettings secrets,
        Optional<VaultAccessSettings> vault,
        HooksSettings hooks,
        MetricsSettings metrics,
        FleetSettings fleet,
        LogSettings log,
        HistorySettings history) {

    public Settings {
        caches = List.copyOf(caches);
        forges = List.copyOf(forges);
    }

    /** Where cycle logs go: one file per cycle. */
    public Path logDir() {
        return stateDir.resolve("logs");
    }
}
