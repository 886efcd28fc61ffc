package org.gitopssync.forge;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A webhook delivery as the web layer received it: headers (looked up case-insensitively) and the raw body. */
public final class WebhookRequest {

    private final Map<String, String> headers;
    private final byte[] body;

    public WebhookRequest(Map<String, String> headers, byte[] body) {
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        this.headers = copy;
        this.body = body.clone();
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The first of several header names that is present (forks of Gitea send both their own and Gitea's). */
    Optional<String> firstHeader(String... names) {
        for (String name : names) {
            Optional<String> value = header(name);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    public byte[] body() {
        return body.clone();
    }

    int bodyLength() {
        return body.length;
    }

    byte[] bodyView() {
        return body;
    }
}
