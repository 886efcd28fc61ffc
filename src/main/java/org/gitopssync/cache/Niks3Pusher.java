package org.gitopssync.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gitopssync.nix.Command;

/** {@code niks3 push <paths>}: server URL and token file in the environment (niks3 reads the token from a file). */
final class Niks3Pusher implements CachePusher {

    static final String TOKEN = "NIKS3_TOKEN";

    private final CacheCredentials credentials;

    Niks3Pusher(CacheCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Command command(UploadJob job) {
        String tokenFile = credentials.tokenFile(job, TOKEN).toString();
        List<String> argv = new ArrayList<>(List.of("niks3", "push",
                "--max-concurrent-uploads", Integer.toString(job.cache().maxConcurrentUploads())));
        argv.addAll(job.pathStrings());
        return Command.of(argv)
                .withEnvironment(Map.of("NIKS3_SERVER_URL", job.cache().destination(),
                        "NIKS3_AUTH_TOKEN_FILE", tokenFile))
                .withTimeout(job.cache().timeout()).loggingTo(job.logFile());
    }
}
