package org.gitopssync.forge;

import java.util.Optional;
import org.gitopssync.GitopsException;

/** A forge refused or failed a request; names forge, repository, sha and HTTP status, never a credential. */
public final class ForgeException extends GitopsException {

    private final ForgeKind forge;
    private final String repository;
    private final String sha;
    private final int httpStatus;
    private final transient RetryAdvice retryAdvice;

    ForgeException(String message, ForgeKind forge, String repository, String sha, int httpStatus,
                   RetryAdvice retryAdvice, Throwable cause) {
        super(message, cause);
        this.forge = forge;
        this.repository = repository;
        this.sha = sha;
        this.httpStatus = httpStatus;
        this.retryAdvice = retryAdvice;
    }

    /** A problem in our own setup (bad key, unusable repository name): retrying cannot help. */
    static ForgeException misconfigured(ForgeKind forge, String repository, String message) {
        return new ForgeException(forge.displayName() + (repository == null ? "" : " " + repository) + ": " + message,
                forge, repository, null, 0, RetryAdvice.never(), null);
    }

    public ForgeKind forge() {
        return forge;
    }

    public Optional<String> repository() {
        return Optional.ofNullable(repository);
    }

    public Optional<String> sha() {
        return Optional.ofNullable(sha);
    }

    /** The HTTP status the forge answered, 0 when no response arrived (connection refused, timeout). */
    public int httpStatus() {
        return httpStatus;
    }

    /** Whether trying again later may succeed (outage, 5xx, rate limit). */
    public boolean isTransient() {
        return retryAdvice.kind() != RetryAdvice.Kind.NEVER;
    }

    RetryAdvice retryAdvice() {
        return retryAdvice;
    }
}
