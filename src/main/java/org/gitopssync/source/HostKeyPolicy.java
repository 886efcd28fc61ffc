package org.gitopssync.source;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.jboss.logging.Logger;

/**
 * Decides whether an ssh server's host key is trusted: a pinned key from the configuration, or a
 * matching line in known_hosts. Unknown or changed keys are always refused; nothing is learned.
 */
final class HostKeyPolicy implements ServerKeyDatabase {

    private static final Logger LOG = Logger.getLogger(HostKeyPolicy.class);

    private final String pinned;
    private final List<Path> knownHosts;
    private volatile String lastRefusal;

    HostKeyPolicy(String pinned, List<Path> knownHosts) {
        this.pinned = pinned == null || pinned.isBlank() ? null : pinned.trim();
        this.knownHosts = List.copyOf(knownHosts);
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        return List.of();
    }

    @Override
    public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
            Configuration config, CredentialsProvider provider) {
        String fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, serverKey);
        if (pinned != null) {
            boolean ok = pinned.startsWith("SHA256:") ? pinned.equals(fingerprint) : sameKey(pinned, serverKey);
            if (!ok) {
                lastRefusal = "host key of " + connectAddress + " is " + fingerprint
                        + ", not the pinned repository.ssh.host_key";
            }
            return ok;
        }
        HostPort hp = HostPort.parse(connectAddress, remoteAddress);
        for (Path file : knownHosts) {
            if (!Files.isReadable(file)) {
                continue;
            }
            try {
                for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(file)) {
                    if (entry.getKeyEntry() == null || !entry.isHostMatch(hp.host(), hp.port())) {
                        continue;
                    }
                    PublicKey known = entry.getKeyEntry().resolvePublicKey(null, null, null);
                    if (known != null && KeyUtils.compareKeys(known, serverKey)) {
                        boolean revoked = "revoked".equals(entry.getMarker());
                        if (revoked) {
                            lastRefusal = "host key of " + connectAddress + " (" + fingerprint + ") is revoked in " + file;
                            return false;
                        }
                        return entry.getMarker() == null;
                    }
                }
            } catch (IOException | GeneralSecurityException e) {
                LOG.debugf("cannot read known hosts file %s: %s", file, e.getMessage());
            }
        }
        lastRefusal = "host key " + fingerprint + " of " + connectAddress + " is not in "
                + (knownHosts.isEmpty() ? "any known_hosts file" : knownHosts)
                + "; add it there or pin it with repository.ssh.host_key";
        return false;
    }

    /** Why the last key was refused, for an error message that says what to do. */
    String lastRefusal() {
        return lastRefusal;
    }

    private static boolean sameKey(String line, PublicKey serverKey) {
        String[] want = line.split("\\s+");
        String[] have = PublicKeyEntry.toString(serverKey).split("\\s+");
        return want.length >= 2 && have.length >= 2 && want[0].equals(have[0]) && want[1].equals(have[1]);
    }

    /** Known-hosts files consulted when nothing is pinned: the configured one, else the system's. */
    static List<Path> defaultFiles(Path configured) {
        List<Path> files = new ArrayList<>();
        if (configured != null) {
            files.add(configured);
            return files;
        }
        files.add(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
        files.add(Path.of("/etc/ssh/ssh_known_hosts"));
        return files;
    }

    private record HostPort(String host, int port) {
        static HostPort parse(String connectAddress, InetSocketAddress remote) {
            String s = connectAddress;
            if (s.startsWith("[")) {
                int close = s.indexOf("]:");
                if (close > 0) {
                    return new HostPort(s.substring(1, close), Integer.parseInt(s.substring(close + 2)));
                }
            }
            return new HostPort(s, remote == null ? 22 : remote.getPort());
        }
    }
}
