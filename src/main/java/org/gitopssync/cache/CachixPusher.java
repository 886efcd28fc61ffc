package org.gitopssync.cache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gitopssync.config.Credential;
import org.gitopssync.nix.Command;

/** {@code cachix push <cache> <paths>}; the token (and an own signing key) travel in the environment. */
final class CachixPusher implements CachePusher {

    static final String AUTH_TOKEN = "CACHIX_AUTH_TOKEN";
    static final String SIGNING_KEY = "CACHIX_SIGNING_KEY";

    private final CacheCredentials credentials;

    CachixPusher(CacheCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Command command(UploadJob job) {
        Map<String, Credential> values = credentials.named(job, AUTH_TOKEN, Set.of(AUTH_TOKEN, SIGNING_KEY));
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of(AUTH_TOKEN, SIGNING_KEY)) {
            if (values.containsKey(name)) {
                env.put(name, values.get(name).reveal());
            }
        }
        if (env.isEmpty()) {
            throw new CacheException(job.cache().id(), job.cache().destination(),
                    "credentials hold neither " + AUTH_TOKEN + " nor " + SIGNING_KEY);
        }
        List<String> argv = new ArrayList<>(List.of("cachix", "push",
                "--jobs", Integer.toString(job.cache().maxConcurrentUploads()), job.cache().destination()));
        argv.addAll(job.pathStrings());
        return Command.of(argv).withEnvironment(env).withTimeout(job.cache().timeout()).loggingTo(job.logFile());
    }
}
