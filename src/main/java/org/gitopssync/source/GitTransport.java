package org.gitopssync.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.gitopssync.config.Credential;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.RepositorySettings;

/**
 * How JGit reaches the repository: a token for https (as the password, never in the URL), a
 * deploy key and strict host-key checking for ssh, and the fetch timeout for every transport.
 */
final class GitTransport implements AutoCloseable {

    private final RepositorySettings settings;
    private final CredentialResolver credentials;
    private final Path sshHome;
    private HostKeyPolicy hostKeys;
    private SshdSessionFactory sshFactory;

    GitTransport(RepositorySettings settings, CredentialResolver credentials, Path sshHome) {
        this.settings = settings;
        this.credentials = credentials;
        this.sshHome = sshHome;
    }

    /** Applies credentials and transport settings to any JGit transport command. */
    <C extends TransportCommand<C, ?>> C configure(C command) {
        Optional<Credential> token = credentials.value("repository.credentials", settings.credentials());
        token.ifPresent(t -> command.setCredentialsProvider(
                new UsernamePasswordCredentialsProvider(settings.username(), t.reveal())));
        command.setTimeout(timeoutSeconds(settings.fetchTimeout()));
        command.setTransportConfigCallback(this::configureTransport);
        return command;
    }

    private void configureTransport(Transport transport) {
        if (transport instanceof SshTransport ssh) {
            ssh.setSshSessionFactory(sshFactory());
        }
    }

    private synchronized SshdSessionFactory sshFactory() {
        if (sshFactory == null) {
            Optional<Path> key = credentials.path("repository.ssh.key", settings.ssh().key());
            hostKeys = new HostKeyPolicy(settings.ssh().hostKey(), HostKeyPolicy.defaultFiles(settings.ssh().knownHosts()));
            try {
                Files.createDirectories(sshHome);
            } catch (IOException e) {
                throw new SourceException("cannot create " + sshHome + ": " + e.getMessage(), e);
            }
            sshFactory = new SshdSessionFactoryBuilder()
                    .setHomeDirectory(sshHome.toFile())
                    .setSshDirectory(sshHome.toFile())
                    // the agent must not pick up whatever ~/.ssh/config or keys root happens to have
                    .setConfigStoreFactory((home, file, user) -> null)
                    .setDefaultIdentities(dir -> key.map(List::of).orElse(List.of()))
                    .setDefaultKnownHostsFiles(dir -> List.of())
                    .setServerKeyDatabase((home, dir) -> hostKeys)
                    .setPreferredAuthentications("publickey")
                    .build(null);
        }
        return sshFactory;
    }

    /** Why the last ssh host key was refused, if one was. */
    Optional<String> hostKeyRefusal() {
        return hostKeys == null ? Optional.empty() : Optional.ofNullable(hostKeys.lastRefusal());
    }

    private static int timeoutSeconds(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.getSeconds()));
    }

    @Override
    public synchronized void close() {
        if (sshFactory != null) {
            sshFactory.close();
        }
    }
}
