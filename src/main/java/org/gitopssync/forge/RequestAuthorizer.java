package org.gitopssync.forge;

import java.net.http.HttpRequest;
import org.gitopssync.config.Credential;

/** Adds credentials to an outgoing forge request. */
interface RequestAuthorizer {

    void authorize(HttpRequest.Builder request);

    /** Called after a 401; returns true when fresh credentials are worth one more attempt. */
    default boolean renewAfterUnauthorized() {
        return false;
    }

    static RequestAuthorizer header(String name, String valuePrefix, Credential credential) {
        return request -> request.header(name, valuePrefix + credential.reveal());
    }
}
