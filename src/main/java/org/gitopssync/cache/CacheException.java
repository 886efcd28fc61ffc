package org.gitopssync.cache;

import org.gitopssync.GitopsException;

/** A push to one binary cache could not be done; the message names the cache and its destination, never a token. */
public class CacheException extends GitopsException {

    private final String cacheId;
    private final String reason;

    public CacheException(String cacheId, String destination, String reason) {
        super("cache " + cacheId + " (" + destination + "): " + reason);
        this.cacheId = cacheId;
        this.reason = reason;
    }

    public CacheException(String cacheId, String destination, String reason, Throwable cause) {
        super("cache " + cacheId + " (" + destination + "): " + reason, cause);
        this.cacheId = cacheId;
        this.reason = reason;
    }

    public String cacheId() {
        return cacheId;
    }

    /** The message without the cache's name and destination. */
    public String reason() {
        return reason;
    }
}
