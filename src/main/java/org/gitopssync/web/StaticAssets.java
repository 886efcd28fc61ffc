package org.gitopssync.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pages' stylesheet and script, shipped in the jar (nothing from a CDN). Names carry no version, so they are
 * cached for an hour and revalidated by their ETag (a hash of the content) after an upgrade.
 */
final class StaticAssets {

    static final String STYLESHEET = "/assets/status.css";
    static final String SCRIPT = "/assets/status.js";

    private record Asset(byte[] body, String contentType, String etag) {
    }

    private final Map<String, Asset> assets;

    private StaticAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    static StaticAssets load() {
        return new StaticAssets(Map.of(
                STYLESHEET, read("status.css", "text/css; charset=utf-8"),
                SCRIPT, read("status.js", "text/javascript; charset=utf-8")));
    }

    /** The paths served, for the route table. */
    static Set<String> paths() {
        return Set.of(STYLESHEET, SCRIPT);
    }

    /** Answers the request if it names an asset; false otherwise. */
    boolean serve(HttpServerRequest req, String path) {
        Asset a = assets.get(path);
        if (a == null) {
            return false;
        }
        req.response().putHeader("cache-control", "public, max-age=3600").putHeader("etag", a.etag())
                .putHeader("x-content-type-options", "nosniff");
        if (a.etag().equals(req.getHeader("if-none-match"))) {
            req.response().setStatusCode(304).end();
        } else {
            req.response().putHeader("content-type", a.contentType()).end(Buffer.buffer(a.body()));
        }
        return true;
    }

    private static Asset read(String name, String type) {
        byte[] body = Optional.ofNullable(StaticAssets.class.getResourceAsStream(name)).map(StaticAssets::bytes)
                .orElseThrow(() -> new IllegalStateException("the jar lacks its web asset " + name));
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)).substring(0, 16);
            return new Asset(body, type, "\"" + hash + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
