package org.gitopssync.cache;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.gitopssync.GitopsException;
import org.gitopssync.config.CacheSettings;
import org.gitopssync.config.Credential;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;

/**
 * Reads a cache's credentials at push time and shapes them for its tool: named environment
 * values, one token, or a file. Every value revealed is added to the job's redaction set.
 */
final class CacheCredentials {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern KEY_VALUE_LINE = Pattern.compile("(export\\s+)?[A-Z_][A-Z0-9_]*\\s*=.*");

    private final CredentialResolver resolver;

    CacheCredentials(CredentialResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * Values for the child's environment. A single bare value (one variable, a file holding just a
     * token, a Vault field) is named {@code bareName} unless its own name is one of {@code knownNames};
     * a file of KEY=VALUE lines or a JSON object keeps its names.
     */
    Map<String, Credential> named(UploadJob job, String bareName, Set<String> knownNames) {
        CacheSettings cache = job.cache();
        CredentialSource src = cache.credentials();
        Map<String, Credential> out;
        try {
            if (src instanceof CredentialSource.None) {
                out = Map.of();
            } else if (src instanceof CredentialSource.Env env && env.names().size() == 1 && bareName != null
                    && !knownNames.contains(env.names().get(0))) {
                out = Map.of(bareName, resolver.value("credentials", src).orElseThrow());
            } else if (src instanceof CredentialSource.Env) {
                out = resolver.environment("credentials", src);
            } else if (src instanceof CredentialSource.Vault v) {
                String name = bareName == null || knownNames.contains(v.field()) ? v.field() : bareName;
                out = Map.of(name, resolver.value("credentials", src).orElseThrow());
            } else {
                Credential whole = resolver.value("credentials", src).orElseThrow();
                if (structured(whole.reveal())) {
                    out = resolver.environment("credentials", src);
                } else if (bareName != null) {
                    out = Map.of(bareName, whole);
                } else {
                    throw failure(job, "credentials: " + src.describe() + " must hold KEY=VALUE lines or a JSON object");
                }
            }
        } catch (CacheException e) {
            throw e;
        } catch (GitopsException e) {
            throw failure(job, e.getMessage());
        }
        Map<String, Credential> checked = new LinkedHashMap<>();
        out.forEach((name, value) -> {
            if (!ENV_NAME.matcher(name).matches() || name.equals("PATH") || name.startsWith("LD_")
                    || name.startsWith("NIX_")) {
                throw failure(job, "credentials: \"" + name + "\" cannot be passed as an environment variable");
            }
            job.redact(value.reveal());
            checked.put(name, value);
        });
        return checked;
    }

    /** The one push token: the only value, or the one called {@code preferredName}. */
    Credential token(UploadJob job, String preferredName) {
        Map<String, Credential> values = named(job, preferredName, Set.of(preferredName));
        if (values.size() == 1) {
            return values.values().iterator().next();
        }
        Credential preferred = values.get(preferredName);
        if (preferred == null) {
            throw failure(job, "credentials: expected one token, or one named " + preferredName + "; got "
                    + (values.isEmpty() ? "none" : String.join(", ", values.keySet())));
        }
        return preferred;
    }

    /** The configured credentials file when it holds just the token (usable in place), else empty. */
    Optional<Path> configuredTokenFile(UploadJob job) {
        CredentialSource src = job.cache().credentials();
        if (src instanceof CredentialSource.File || src instanceof CredentialSource.SystemdCredential) {
            try {
                Credential whole = resolver.value("credentials", src).orElseThrow();
                job.redact(whole.reveal());
                if (!structured(whole.reveal())) {
                    return resolver.path("credentials", src);
                }
            } catch (GitopsException e) {
                throw failure(job, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The signing key as a file nix can read, or empty when the cache signs nothing itself. */
    Optional<Path> signingKeyFile(UploadJob job) {
        CredentialSource src = job.cache().signingKey();
        try {
            if (src instanceof CredentialSource.None) {
                return Optional.empty();
            }
            if (src instanceof CredentialSource.File || src instanceof CredentialSource.SystemdCredential) {
                return resolver.path("signing_key", src);
            }
            Credential key = resolver.value("signing_key", src).orElseThrow();
            job.redact(key.reveal());
            return Optional.of(job.scratch().writeSecret("signing-key",
                    (key.reveal() + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (GitopsException e) {
            throw failure(job, e.getMessage());
        }
    }

    /** A JSON object, or nothing but KEY=VALUE lines (a bare base64 token has no upper-case key before '='). */
    static boolean structured(String text) {
        if (text.stripLeading().startsWith("{")) {
            return true;
        }
        List<String> lines = text.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        return !lines.isEmpty() && lines.stream().allMatch(l -> KEY_VALUE_LINE.matcher(l).matches());
    }

    private static CacheException failure(UploadJob job, String message) {
        return new CacheException(job.cache().id(), job.cache().destination(), message);
    }
}
