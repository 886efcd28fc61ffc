package org.gitopssync.cache;

import java.time.Duration;
import java.util.List;
import org.gitopssync.config.CacheSettings;
import org.gitopssync.config.CredentialSource;

/** CacheSettings for tests: everything allowed, no credentials, no signing, unless changed. */
final class TestCaches {

    private String id;
    private CacheSettings.Type type;
    private String destination;
    private String endpoint;
    private CredentialSource credentials = CredentialSource.none();
    private CacheSettings.Permissions permissions = new CacheSettings.Permissions(true, List.of("**"), List.of("**"),
            true, false);
    private boolean required;
    private CredentialSource signingKey = CredentialSource.none();
    private boolean allowPrivateHosts;
    private int retries = 2;

    private TestCaches(String id, CacheSettings.Type type, String destination) {
        this.id = id;
        this.type = type;
        this.destination = destination;
    }

    static TestCaches cache(String id, CacheSettings.Type type, String destination) {
        return new TestCaches(id, type, destination);
    }

    TestCaches endpoint(String url) {
        this.endpoint = url;
        return this;
    }

    TestCaches credentials(CredentialSource source) {
        this.credentials = source;
        return this;
    }

    TestCaches permissions(CacheSettings.Permissions p) {
        this.permissions = p;
        return this;
    }

    TestCaches required() {
        this.required = true;
        return this;
    }

    TestCaches signingKey(CredentialSource source) {
        this.signingKey = source;
        return this;
    }

    TestCaches allowPrivateHosts() {
        this.allowPrivateHosts = true;
        return this;
    }

    TestCaches retries(int n) {
        this.retries = n;
        return this;
    }

    CacheSettings build() {
        return new CacheSettings(id, type, destination, endpoint, credentials, permissions, required, signingKey,
                allowPrivateHosts, 4, retries, Duration.ofMinutes(5));
    }
}
