package org.gitopssync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Commit-signing keys made with the real {@code ssh-keygen} and {@code gpg}, and commits signed with them through
 * the real {@code git} CLI, as an operator signs.
 */
public final class SigningKeys {

    private SigningKeys() {
    }

    /** An ed25519 key pair: the private key file and its one-line public key. */
    public record SshKey(Path privateKey, String publicKey) {

        /** One allowed_signers line for this key, principal {@code operator@example.test}, namespace git. */
        public String allowedSignersLine() {
            return "operator@example.test namespaces=\"git\" " + publicKey + "\n";
        }
    }

    /** A GnuPG home holding one signing key; {@code armoredPublicKey} is its {@code gpg --armor --export}. */
    public record GpgKey(Path home, String fingerprint, Path armoredPublicKey) {

        /** Stops the gpg-agent the signing started. */
        public void stopAgent() {
            run(List.of("gpgconf", "--kill", "gpg-agent"), Map.of("GNUPGHOME", home.toString()));
        }
    }

    public static SshKey ssh(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path key = dir.resolve(name);
            run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()), Map.of());
            return new SshKey(key, Files.readString(dir.resolve(name + ".pub")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GpgKey gpg(Path home, String userId) {
        try {
            Files.createDirectories(home);
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            Map<String, String> env = Map.of("GNUPGHOME", home.toString());
            run(List.of("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", userId,
                    "ed25519", "sign", "never"), env);
            String colons = run(List.of("gpg", "--batch", "--with-colons", "--list-keys", userId), env);
            String fingerprint = colons.lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow()
                    .split(":")[9];
            Path armored = home.getParent().resolve(home.getFileName() + ".asc");
            Files.writeString(armored, run(List.of("gpg", "--batch", "--armor", "--export", fingerprint), env));
            return new GpgKey(home, fingerprint, armored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits everything in the repository, SSH-signed with {@code key}. */
    public static String commitSignedSsh(DemoFlakeRepo repo, SshKey key, String message) {
        GitCli.run(repo.dir(), "add", "-A");
        GitCli.run(repo.dir(), "-c", "gpg.format=ssh", "-c", "user.signingkey=" + key.privateKey(), "commit", "-q",
                "-S", "-m", message);
        return repo.head();
    }

    /** Commits everything in the repository, OpenPGP-signed with {@code key}. */
    public static String commitSignedGpg(DemoFlakeRepo repo, GpgKey key, String message) {
        GitCli.run(repo.dir(), "add", "-A");
        GitCli.run(repo.dir(), Map.of("GNUPGHOME", key.home().toString()), "-c", "gpg.format=openpgp", "-c",
                "user.signingkey=" + key.fingerprint(), "commit", "-q", "-S", "-m", message);
        return repo.head();
    }

    private static String run(List<String> argv, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true);
        builder.environment().putAll(env);
        return Programs.text(builder, String.join(" ", argv));
    }
}
