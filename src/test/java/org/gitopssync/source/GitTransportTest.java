package org.gitopssync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.eclipse.jgit.junit.ssh.SshTestGitServer;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.gitopssync.config.RepositorySettings;
import org.gitopssync.config.SignatureSettings;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.GitCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's https (token) and ssh (deploy key, host-key checking) transports against real git servers on 127.0.0.1. */
class GitTransportTest {

    @TempDir
    Path tmp;

    DemoFlakeRepo remote;
    Path bare;

    @BeforeEach
    void setUp() {
        remote = DemoFlakeRepo.create(tmp);
        bare = tmp.resolve("served.git");
        GitCli.run(tmp, "clone", "-q", "--bare", remote.dir().toString(), bare.toString());
    }

    private RepositorySettings settings(String url, CredentialSource credentials, RepositorySettings.SshSettings ssh) {
        return new RepositorySettings(url, "main", Duration.ofMinutes(5), Duration.ZERO, credentials, "x-access-token",
                ssh, false, Duration.ofSeconds(30), SignatureSettings.none());
    }

    private static RepositorySettings.SshSettings noSsh() {
        return new RepositorySettings.SshSettings(CredentialSource.none(), null, null);
    }

    // ---------------------------------------------------------------- https + token

    private SSLSocketFactory previous;

    @AfterEach
    void restoreTrust() {
        if (previous != null) {
            HttpsURLConnection.setDefaultSSLSocketFactory(previous);
        }
    }

    private Path selfSignedKeyStore() throws Exception {
        Path ks = tmp.resolve("server.p12");
        Process p = new ProcessBuilder("keytool", "-genkeypair", "-alias", "git", "-keyalg", "EC", "-groupname",
                "secp256r1", "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-keystore",
                ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit").redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
        // the agent trusts this certificate the way it would trust an internal CA in the JVM trust store
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        previous = HttpsURLConnection.getDefaultSSLSocketFactory();
        HttpsURLConnection.setDefaultSSLSocketFactory(ctx.getSocketFactory());
        return ks;
    }

    @Test
    void httpsWithATokenListsAndFetchesAndTheTokenNeverAppearsInAUrl() throws Exception {
        String token = "ghs_t0ken-for-test";
        try (HttpsGitServerDouble server = new HttpsGitServerDouble(bare, token, selfSignedKeyStore(), "changeit");
                GitSource source = new GitSource(settings(server.url(), new CredentialSource.Env(List.of("GIT_TOKEN")),
                        noSsh()), new CredentialResolver(Map.of("GIT_TOKEN", token), null), tmp.resolve("state"))) {

            assertThat(source.remoteHead()).contains(remote.head());
            assertThat(source.fetch().sha()).isEqualTo(remote.head());
            String next = remote.commitMotd("over https");
            GitCli.run(remote.dir(), "push", "-q", bare.toString(), "main");
            assertThat(source.fetch().sha()).isEqualTo(next);

            assertThat(server.requestUris()).isNotEmpty().noneMatch(u -> u.contains(token));
        }
    }

    @Test
    void httpsWithAWrongTokenFailsWithoutRevealingIt() throws Exception {
        try (HttpsGitServerDouble server = new HttpsGitServerDouble(bare, "right-token", selfSignedKeyStore(), "changeit");
                GitSource source = new GitSource(settings(server.url(), new CredentialSource.Env(List.of("GIT_TOKEN")),
                        noSsh()), new CredentialResolver(Map.of("GIT_TOKEN", "wrong-token"), null), tmp.resolve("state"))) {
            assertThatThrownBy(source::fetch)
                    .isInstanceOf(SourceException.class)
                    // the followed ref is resolved (branch or tag) by listing the remote before the first clone
                    .hasMessageContaining("cannot list " + server.url())
                    .hasMessageContaining("not authorized")
                    .hasMessageNotContaining("wrong-token");
        }
    }

    // ---------------------------------------------------------------- ssh + deploy key

    private static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private Path writePrivateKey(KeyPair pair, String name) throws Exception {
        Path file = tmp.resolve(name);
        try (var out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "deploy key", null, out);
        }
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private SshTestGitServer sshServer(KeyPair client, KeyPair host) throws Exception {
        Repository repo = new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
        return new SshTestGitServer("git", client.getPublic(), repo, host);
    }

    @Test
    void sshWithADeployKeyAndAKnownHostsEntryFetches() throws Exception {
        KeyPair client = ecKeyPair();
        KeyPair host = ecKeyPair();
        SshTestGitServer server = sshServer(client, host);
        int port = server.start();
        try {
            Path knownHosts = tmp.resolve("known_hosts");
            Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(host.getPublic()) + "\n");
            RepositorySettings.SshSettings ssh = new RepositorySettings.SshSettings(
                    new CredentialSource.File(writePrivateKey(client, "deploy_key")), knownHosts, null);
            try (GitSource source = new GitSource(settings("ssh://git@127.0.0.1:" + port + "/fleet.git",
                    CredentialSource.none(), ssh), new CredentialResolver(Map.of(), null), tmp.resolve("state"))) {
                assertThat(source.remoteHead()).contains(remote.head());
                assertThat(source.fetch().sha()).isEqualTo(remote.head());
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void sshWithAPinnedHostKeyFingerprintNeedsNoKnownHosts() throws Exception {
        KeyPair client = ecKeyPair();
        KeyPair host = ecKeyPair();
        SshTestGitServer server = sshServer(client, host);
        int port = server.start();
        try {
            String fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, host.getPublic());
            RepositorySettings.SshSettings ssh = new RepositorySettings.SshSettings(
                    new CredentialSource.File(writePrivateKey(client, "deploy_key")), tmp.resolve("absent"), fingerprint);
            try (GitSource source = new GitSource(settings("ssh://git@127.0.0.1:" + port + "/fleet.git",
                    CredentialSource.none(), ssh), new CredentialResolver(Map.of(), null), tmp.resolve("state"))) {
                assertThat(source.fetch().sha()).isEqualTo(remote.head());
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void sshRefusesAnUnknownOrWrongHostKeyNamingItsFingerprint() throws Exception {
        KeyPair client = ecKeyPair();
        KeyPair host = ecKeyPair();
        SshTestGitServer server = sshServer(client, host);
        int port = server.start();
        try {
            String fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, host.getPublic());
            Path key = writePrivateKey(client, "deploy_key");
            Path emptyKnownHosts = Files.writeString(tmp.resolve("known_hosts"), "");
            try (GitSource source = new GitSource(settings("ssh://git@127.0.0.1:" + port + "/fleet.git",
                    CredentialSource.none(), new RepositorySettings.SshSettings(new CredentialSource.File(key),
                            emptyKnownHosts, null)), new CredentialResolver(Map.of(), null), tmp.resolve("state"))) {
                assertThatThrownBy(source::remoteHead).isInstanceOf(SourceException.class)
                        .hasMessageContaining("host key " + fingerprint)
                        .hasMessageContaining("is not in [" + emptyKnownHosts + "]");
            }
            String otherFingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, ecKeyPair().getPublic());
            try (GitSource source = new GitSource(settings("ssh://git@127.0.0.1:" + port + "/fleet.git",
                    CredentialSource.none(), new RepositorySettings.SshSettings(new CredentialSource.File(key),
                            null, otherFingerprint)), new CredentialResolver(Map.of(), null), tmp.resolve("state2"))) {
                assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
                        .hasMessageContaining("not the pinned repository.ssh.host_key");
            }
        } finally {
            server.stop();
        }
    }
}
