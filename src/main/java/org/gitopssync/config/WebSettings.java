package org.gitopssync.config;

import java.time.Duration;

/**
 * {@code [web]}: the daemon's HTTP endpoint (status, health, webhooks). Off unless enabled. A
 * connection silent for {@code idleTimeout}, or a request not answered within
 * {@code requestTimeout} of its first byte, is closed; past {@code maxConnections} new ones are.
 * With {@code readToken} the pages, {@code /api/*} and {@code /metrics} need it as a bearer token.
 */
public record WebSettings(boolean enable, String address, int port, String publicUrl, Duration idleTimeout,
        Duration requestTimeout, int maxConnections, CredentialSource readToken) {

    static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    /** The endpoint with the default timeouts and connection cap. */
    public WebSettings(boolean enable, String address, int port, String publicUrl) {
        this(enable, address, port, publicUrl, Duration.ofSeconds(10), Duration.ofSeconds(30), 64);
    }

    /** The endpoint open to every reader. */
    public WebSettings(boolean enable, String address, int port, String publicUrl, Duration idleTimeout,
            Duration requestTimeout, int maxConnections) {
        this(enable, address, port, publicUrl, idleTimeout, requestTimeout, maxConnections, CredentialSource.none());
    }

    static WebSettings from(ConfigSection s) {
        return new WebSettings(
                s.bool("enable", false),
                s.string("address", "127.0.0.1"),
                s.integer("port", 3030, 1, 65535),
                s.string("public_url", null),
                timeout(s, "idle_timeout", Duration.ofSeconds(10)),
                timeout(s, "request_timeout", Duration.ofSeconds(30)),
                s.integer("max_connections", 64, 1, 10_000),
                s.credential("read_token", CredentialSource.none()));
    }

    private static Duration timeout(ConfigSection s, String key, Duration fallback) {
        Duration d = s.duration(key, fallback);
        if (d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(MAX_TIMEOUT) > 0) {
            throw s.error(key, "must be from 100ms to 1h, got " + SystemdDuration.format(d));
        }
        return d;
    }
}
