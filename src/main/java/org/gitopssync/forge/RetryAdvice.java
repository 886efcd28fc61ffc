package org.gitopssync.forge;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** What a failed request says about trying again: never, after a backoff, or not before a given instant. */
record RetryAdvice(Kind kind, Instant notBefore) {

    enum Kind {
        /** Permanent: a 4xx that retrying cannot fix. */
        NEVER,
        /** Transient without a hint from the server: exponential backoff. */
        BACKOFF,
        /** The server named the instant (Retry-After, rate limit reset). */
        NOT_BEFORE,
        /** A rate limit that names no instant (GitHub secondary limit): GitHub asks for at least a minute. */
        SECONDARY_LIMIT
    }

    static RetryAdvice never() {
        return new RetryAdvice(Kind.NEVER, null);
    }

    static RetryAdvice backoff() {
        return new RetryAdvice(Kind.BACKOFF, null);
    }

    static RetryAdvice notBefore(Instant instant) {
        return new RetryAdvice(Kind.NOT_BEFORE, instant);
    }

    /** Classify a non-2xx response by its status, rate-limit headers and (for GitHub) error message. */
    static RetryAdvice fromResponse(int status, HttpHeaders headers, String body, Clock clock) {
        Optional<Instant> retryAfter = headers.firstValue("Retry-After").flatMap(v -> parseRetryAfter(v, clock));
        Optional<Instant> reset = rateLimitReset(headers);
        boolean exhausted = headers.firstValue("X-RateLimit-Remaining")
                .or(() -> headers.firstValue("RateLimit-Remaining"))
                .map(String::trim).filter("0"::equals).isPresent();
        String lower = body == null ? "" : body.toLowerCase(Locale.ROOT);
        // Older GitHub deployments (GHES) still word the secondary limit as "abuse detection".
        boolean secondary = lower.contains("secondary rate limit") || lower.contains("abuse detection");
        if (status == 403 || status == 429) {
            if (retryAfter.isPresent()) {
                return notBefore(retryAfter.get());
            }
            if (exhausted && reset.isPresent()) {
                return notBefore(reset.get());
            }
            if (secondary || exhausted) {
                return new RetryAdvice(Kind.SECONDARY_LIMIT, null);
            }
            // A plain 403 is a permission problem; a plain 429 is still a rate limit.
            return status == 429 ? backoff() : never();
        }
        if (status == 408 || status >= 500) {
            return retryAfter.map(RetryAdvice::notBefore).orElseGet(RetryAdvice::backoff);
        }
        return never();
    }

    private static Optional<Instant> rateLimitReset(HttpHeaders headers) {
        return headers.firstValue("X-RateLimit-Reset").or(() -> headers.firstValue("RateLimit-Reset"))
                .flatMap(v -> {
                    try {
                        return Optional.of(Instant.ofEpochSecond(Long.parseLong(v.trim())));
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                });
    }

    /** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 section 10.2.3). */
    static Optional<Instant> parseRetryAfter(String value, Clock clock) {
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit) && !v.isEmpty()) {
            try {
                return Optional.of(clock.instant().plusSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
