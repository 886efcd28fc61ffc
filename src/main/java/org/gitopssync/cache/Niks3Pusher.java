package org.gitopssync.cache;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gitopssync.nix.Command;

/**
 * {@code niks3 push <paths>}: server URL and token file in the environment. niks3 reads the token
 * from a file: a configured token file is used in place; any other token reaches it through a pipe
 * ({@code /dev/stdin}), so it is never written to disk where a crash could leave it.
 */
final class Niks3Pusher implements CachePusher {

    static final String TOKEN = "NIKS3_TOKEN";

    private final CacheCredentials credentials;

    Niks3Pusher(CacheCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Command command(UploadJob job) {
        Optional<Path> configured = credentials.configuredTokenFile(job);
        List<String> argv = new ArrayList<>(List.of("niks3", "push",
                "--max-concurrent-uploads", Integer.toString(job.cache().maxConcurrentUploads())));
        argv.addAll(job.pathStrings());
        Command command = Command.of(argv).withTimeout(job.cache().timeout()).loggingTo(job.logFile());
        if (configured.isPresent()) {
            return command.withEnvironment(Map.of("NIKS3_SERVER_URL", job.cache().destination(),
                    "NIKS3_AUTH_TOKEN_FILE", configured.get().toString()));
        }
        return command.withEnvironment(Map.of("NIKS3_SERVER_URL", job.cache().destination(),
                "NIKS3_AUTH_TOKEN_FILE", "/dev/stdin"))
                .withStandardInput(credentials.token(job, TOKEN).reveal() + "\n");
    }
}
