package org.gitopssync.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.Nix;

/**
 * Makes, signs and stores the release record of a built system: its NAR hash and closure size come from the local
 * store ({@code nix path-info}), so the system must be there (built, or copied) when it is published.
 */
public final class ReleasePublisher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Nix nix;
    private final ReleaseStore store;
    private final Supplier<ReleaseSigner> signer;

    /** {@code signer} is asked at each publication, so the key is read at the moment of use. */
    public ReleasePublisher(Nix nix, ReleaseStore store, Supplier<ReleaseSigner> signer) {
        this.nix = nix;
        this.store = store;
        this.signer = signer;
    }

    /** Publishes the signed record of (host, commit) and returns it. */
    public ReleaseRecord publish(String host, String commit, String system, String builder, Instant builtAt,
            Cancellation cancellation) {
        ReleaseRecord unsigned = new ReleaseRecord(host, commit, system, "sha256:", 0, builtAt, builder, null);
        String problem = unsigned.problem();
        if (problem != null && !problem.startsWith("nar_hash")) {
            throw new ReleaseException("cannot publish a release for " + host + " at " + commit + ": " + problem);
        }
        JsonNode info = pathInfo(system, cancellation);
        ReleaseRecord record = signer.get().sign(new ReleaseRecord(host, commit, system, info.path("narHash").asText(),
                info.path("closureSize").asLong(), builtAt, builder, null));
        store.publish(record);
        return record;
    }

    private JsonNode pathInfo(String system, Cancellation cancellation) {
        List<String> argv = nix.command("path-info");
        argv.addAll(List.of("--json", "--closure-size", "--", system));
        CommandResult r = nix.runner().run(Command.of(argv).capturingStdout().withTimeout(Duration.ofMinutes(5)),
                cancellation);
        if (!r.succeeded()) {
            throw new ReleaseException(system + " is not in the local Nix store (build it or copy it here before"
                    + " publishing): " + r.failureSummary());
        }
        try {
            JsonNode array = JSON.readTree(r.stdout());
            JsonNode info = array != null && array.isArray() && array.size() == 1 ? array.get(0) : null;
            if (info != null && info.path("valid").isBoolean() && !info.path("valid").asBoolean()) {
                throw new ReleaseException(system + " is not in the local Nix store (build it or copy it here before"
                        + " publishing)");
            }
            if (info == null || !info.hasNonNull("narHash") || !info.hasNonNull("closureSize")) {
                throw new ReleaseException("nix path-info gave no NAR hash and closure size for " + system);
            }
            return info;
        } catch (JsonProcessingException e) {
            throw new ReleaseException("nix path-info printed no JSON for " + system + ": " + e.getOriginalMessage(), e);
        }
    }
}
