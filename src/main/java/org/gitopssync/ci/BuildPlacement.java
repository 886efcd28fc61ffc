package org.gitopssync.ci;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gitopssync.config.CiSettings;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.nix.RemoteBuilds;

/** Where the CI's builds run, from {@code [ci] builders, store, eval_store, store_env}. */
public final class BuildPlacement {

    private BuildPlacement() {
    }

    /**
     * The remote builders and store of {@code settings}; {@code store_env} is resolved at each nix
     * call, so a missing credential fails that build naming its key, and a rotated one is picked up.
     */
    public static RemoteBuilds of(CiSettings settings, CredentialResolver credentials) {
        Map<String, CredentialSource> sources = settings.storeEnv();
        return new RemoteBuilds(settings.builders(), settings.store(), settings.evalStore(), () -> {
            Map<String, String> env = new LinkedHashMap<>();
            sources.forEach((name, source) -> credentials.value("ci.store_env." + name, source)
                    .ifPresent(c -> env.put(name, c.reveal())));
            return env;
        });
    }
}
