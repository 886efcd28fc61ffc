package org.gitopssync.config;

/** {@code [web]}: the daemon's HTTP endpoint (status, health, webhooks). Off unless enabled. */
public record WebSettings(boolean enable, String address, int port, String publicUrl) {

    static WebSettings from(ConfigSection s) {
        return new WebSettings(
                s.bool("enable", false),
                s.string("address", "127.0.0.1"),
                s.integer("port", 3030, 1, 65535),
                s.string("public_url", null));
    }
}
