package org.gitopssync.fleet;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.gitopssync.cache.DestinationGuard;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.FleetSettings;

/**
 * Where release records live ({@code [fleet] releases}): {@code <host>/<commit>.json} per record and a
 * {@code <host>/latest} pointer holding the newest released commit. Hosts read; builders write.
 */
public interface ReleaseStore {

    /** The record text of (host, commit), or empty when none was published. */
    Optional<String> read(String host, String commit);

    /** Stores the record, then points {@code <host>/latest} at its commit. */
    void publish(ReleaseRecord record);

    /** The commit {@code <host>/latest} points at, if any. */
    Optional<String> latest(String host);

    /** The hosts with a {@code latest} pointer, when the store can list them (a directory can, http cannot). */
    default List<String> hosts() {
        return List.of();
    }

    /** What a record's location is called in messages: the store URL and its path. */
    String describe(String host, String commit);

    /** The store {@code [fleet] releases} names; http(s) goes through the destination guard on every request. */
    static ReleaseStore open(FleetSettings fleet, CredentialResolver credentials, DestinationGuard guard) {
        URI uri = URI.create(fleet.releases());
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            return new FileReleaseStore(Path.of(uri.getPath()));
        }
        return new HttpReleaseStore(fleet.releases(), () -> credentials.value("fleet.releases_credentials",
                fleet.releasesCredentials()), guard, fleet.releasesAllowPrivateHosts());
    }
}
