package org.gitopssync.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gitopssync.Cancellation;
import org.gitopssync.config.CacheSettings;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.Nix;

/**
 * Makes a released system present in the local store from the configured caches. Nix enforces the trust:
 * {@code require-sigs}, the caches as the only substituters and, when given, {@code [fleet] cache_keys} as the only
 * trusted keys; then the NAR hash must be the one the record names.
 */
public final class SystemRealiser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Nix nix;
    private final List<String> substituters;
    private final List<String> cacheKeys;

    public SystemRealiser(Nix nix, List<String> substituters, List<String> cacheKeys) {
        this.nix = nix;
        this.substituters = List.copyOf(substituters);
        this.cacheKeys = List.copyOf(cacheKeys);
    }

    /** The substituter URL of each cache a host can read with Nix alone (nix-copy http, https, file, s3; cachix). */
    public static List<String> substitutersOf(List<CacheSettings> caches) {
        List<String> out = new ArrayList<>();
        for (CacheSettings c : caches) {
            String scheme = c.destination().contains(":") ? c.destination().substring(0, c.destination().indexOf(':'))
                    .toLowerCase(Locale.ROOT) : "";
            if (c.type() == CacheSettings.Type.NIX_COPY && List.of("http", "https", "file", "s3").contains(scheme)) {
                out.add(c.destination());
            } else if (c.type() == CacheSettings.Type.CACHIX) {
                out.add("https://" + c.destination() + ".cachix.org");
            }
        }
        return out;
    }

    /** Throws {@link ReleaseRefusedException} ("cache" or "nar hash") when the record's system cannot be trusted. */
    public void realise(String where, ReleaseRecord record, Path log, Cancellation cancellation) {
        List<String> argv = nix.program("nix-store", "--realise", record.system());
        // after the configured [nix] options, so none of them can turn the checks off
        option(argv, "require-sigs", "true");
        if (!substituters.isEmpty()) {
            option(argv, "substituters", String.join(" ", substituters));
        }
        if (!cacheKeys.isEmpty()) {
            option(argv, "trusted-public-keys", String.join(" ", cacheKeys));
        }
        CommandResult r = nix.runner().run(Command.of(argv).withTimeout(Duration.ofHours(2))
                .withNoOutputTimeout(Duration.ofMinutes(30)).loggingTo(log), cancellation);
        if (!r.succeeded()) {
            throw new ReleaseRefusedException(where, "cache", record.system() + " is not available, signed by a"
                    + " trusted key, from " + (substituters.isEmpty() ? "the substituters of nix.conf"
                            : String.join(", ", substituters)) + ": " + r.failureSummary());
        }
        String narHash = narHash(record.system(), cancellation);
        if (!sameHash(narHash, record.narHash())) {
            throw new ReleaseRefusedException(where, "nar hash", record.system() + " has NAR hash " + narHash
                    + " here, the record says " + record.narHash());
        }
    }

    private static void option(List<String> argv, String name, String value) {
        argv.addAll(List.of("--option", name, value));
    }

    private String narHash(String path, Cancellation cancellation) {
        List<String> argv = nix.command("path-info");
        argv.addAll(List.of("--json", "--", path));
        CommandResult r = nix.runner().run(Command.of(argv).capturingStdout().withTimeout(Duration.ofMinutes(5)),
                cancellation);
        try {
            JsonNode info = r.succeeded() ? JSON.readTree(r.stdout()) : null;
            if (info == null || !info.isArray() || info.size() != 1 || !info.get(0).hasNonNull("narHash")) {
                throw new ReleaseException("cannot read the NAR hash of " + path + ": " + r.failureSummary());
            }
            return info.get(0).get("narHash").asText();
        } catch (JsonProcessingException e) {
            throw new ReleaseException("cannot read the NAR hash of " + path + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Nix prints SRI hashes ({@code sha256-base64}); an external CI may have written {@code sha256:base32}. */
    private boolean sameHash(String here, String recorded) {
        if (here.equals(recorded)) {
            return true;
        }
        if (recorded.startsWith("sha256:") && here.startsWith("sha256-")) {
            List<String> argv = nix.command("hash", "to-sri");
            argv.addAll(List.of("--type", "sha256", recorded.substring("sha256:".length())));
            CommandResult r = nix.runner().run(Command.of(argv).capturingStdout().withTimeout(Duration.ofMinutes(1)),
                    Cancellation.none());
            return r.succeeded() && r.stdout().strip().equals(here);
        }
        return false;
    }
}
