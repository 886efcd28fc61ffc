package org.gitopssync.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /api/openapi.yaml}: the OpenAPI 3 description of the HTTP API, a resource in the jar. */
final class OpenApiDocument {

    static final String RESOURCE = "openapi.yaml";

    private final byte[] body;

    private OpenApiDocument(byte[] body) {
        this.body = body;
    }

    static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks its " + RESOURCE);
            }
            return new OpenApiDocument(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void serve(HttpServerRequest req) {
        req.response().putHeader("content-type", "application/yaml; charset=utf-8")
                .putHeader("cache-control", "no-cache").end(Buffer.buffer(body));
    }
}
