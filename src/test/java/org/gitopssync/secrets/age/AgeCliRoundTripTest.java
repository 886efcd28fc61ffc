package org.gitopssync.secrets.age;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.gitopssync.secrets.SecretsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files made by the real age 1.1 CLI (and ssh-keygen) decrypt with our code. */
class AgeCliRoundTripTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void requireCli() {
        assumeTrue(onPath("age") && onPath("age-keygen") && onPath("ssh-keygen"), "age / ssh-keygen CLI not installed");
    }

    @Test
    void x25519BinaryAndArmored() throws Exception {
        Path key = dir.resolve("key.txt");
        run("age-keygen", "-o", key.toString());
        String recipient = run("age-keygen", "-y", key.toString()).strip();
        Path plain = write("plain.txt", "database password\n");

        run("age", "-r", recipient, "-o", dir.resolve("bin.age").toString(), plain.toString());
        run("age", "-a", "-r", recipient, "-o", dir.resolve("armored.age").toString(), plain.toString());

        List<AgeIdentity> identities = AgeIdentities.readIdentityFile(key);
        assertThat(identities).singleElement().extracting(AgeIdentity::recipient).isEqualTo(recipient);
        AgeDecryptor decryptor = new AgeDecryptor(identities);
        assertThat(decryptor.decrypt(Files.readAllBytes(dir.resolve("bin.age")))).asString().isEqualTo("database password\n");
        assertThat(Files.readString(dir.resolve("armored.age"))).startsWith("-----BEGIN AGE ENCRYPTED FILE-----");
        assertThat(decryptor.decrypt(Files.readAllBytes(dir.resolve("armored.age")))).asString()
                .isEqualTo("database password\n");
    }

    @Test
    void sshEd25519RecipientFromPublicKey() throws Exception {
        Path sshKey = dir.resolve("id_ed25519");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "host", "-f", sshKey.toString());
        Path plain = write("plain.txt", "agenix style secret");

        run("age", "-R", sshKey + ".pub", "-o", dir.resolve("ssh.age").toString(), plain.toString());
        run("age", "-a", "-R", sshKey + ".pub", "-o", dir.resolve("ssh-armored.age").toString(), plain.toString());

        AgeIdentity identity = AgeIdentities.readSshKey(sshKey);
        assertThat(identity.recipient()).isEqualTo(Files.readString(Path.of(sshKey + ".pub")).replace(" host", "").strip());
        AgeDecryptor decryptor = new AgeDecryptor(List.of(identity));
        assertThat(decryptor.decrypt(Files.readAllBytes(dir.resolve("ssh.age")))).asString().isEqualTo("agenix style secret");
        assertThat(decryptor.decrypt(Files.readAllBytes(dir.resolve("ssh-armored.age")))).asString()
                .isEqualTo("agenix style secret");
    }

    @Test
    void sshKeyAlsoOpensFilesForItsSshToAgeRecipient() throws Exception {
        Path sshKey = dir.resolve("id_ed25519");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", sshKey.toString());
        AgeIdentity identity = AgeIdentities.readSshKey(sshKey);
        Path plain = write("plain.txt", "sops-nix style");

        run("age", "-r", identity.ageRecipient(), "-o", dir.resolve("x.age").toString(), plain.toString());

        assertThat(new AgeDecryptor(List.of(identity)).decrypt(Files.readAllBytes(dir.resolve("x.age"))))
                .asString().isEqualTo("sops-nix style");
    }

    @Test
    void multiChunkPayloadWithSeveralRecipients() throws Exception {
        Path key1 = dir.resolve("k1.txt");
        Path key2 = dir.resolve("k2.txt");
        run("age-keygen", "-o", key1.toString());
        run("age-keygen", "-o", key2.toString());
        byte[] payload = new byte[200_000];
        new Random(42).nextBytes(payload);
        Path plain = dir.resolve("big.bin");
        Files.write(plain, payload);

        run("age", "-r", run("age-keygen", "-y", key1.toString()).strip(),
                "-r", run("age-keygen", "-y", key2.toString()).strip(),
                "-o", dir.resolve("big.age").toString(), plain.toString());

        byte[] encrypted = Files.readAllBytes(dir.resolve("big.age"));
        assertThat(new AgeDecryptor(AgeIdentities.readIdentityFile(key2)).decrypt(encrypted)).isEqualTo(payload);
    }

    @Test
    void sopsAgeKeyEnvironmentHoldsSeveralKeys() throws Exception {
        Path key1 = dir.resolve("k1.txt");
        Path key2 = dir.resolve("k2.txt");
        run("age-keygen", "-o", key1.toString());
        run("age-keygen", "-o", key2.toString());
        String secret1 = secretLine(key1);
        String secret2 = secretLine(key2);
        Path plain = write("plain.txt", "env");
        run("age", "-r", run("age-keygen", "-y", key2.toString()).strip(),
                "-o", dir.resolve("e.age").toString(), plain.toString());

        List<AgeIdentity> identities = AgeIdentities.fromEnvironment(
                Map.of(AgeIdentities.SOPS_AGE_KEY, "# comment\n" + secret1 + "\n" + secret2 + "\n"));
        List<AgeIdentity> fromFile = AgeIdentities.fromEnvironment(Map.of(AgeIdentities.SOPS_AGE_KEY_FILE, key2.toString()));

        assertThat(identities).hasSize(2);
        assertThat(new AgeDecryptor(identities).decrypt(Files.readAllBytes(dir.resolve("e.age")))).asString().isEqualTo("env");
        assertThat(new AgeDecryptor(fromFile).decrypt(Files.readAllBytes(dir.resolve("e.age")))).asString().isEqualTo("env");
    }

    @Test
    void wrongKeyNamesTheRecipientKinds() throws Exception {
        Path key1 = dir.resolve("k1.txt");
        Path key2 = dir.resolve("k2.txt");
        run("age-keygen", "-o", key1.toString());
        run("age-keygen", "-o", key2.toString());
        Path plain = write("plain.txt", "nope");
        run("age", "-r", run("age-keygen", "-y", key1.toString()).strip(),
                "-o", dir.resolve("w.age").toString(), plain.toString());

        AgeDecryptor decryptor = new AgeDecryptor(AgeIdentities.readIdentityFile(key2));
        assertThatThrownBy(() -> decryptor.decrypt(Files.readAllBytes(dir.resolve("w.age")), "w.age"))
                .isInstanceOf(SecretsException.class)
                .hasMessageStartingWith("w.age: no identity matches the file's recipients (X25519)")
                .hasMessageNotContaining(secretLine(key2));
    }

    @Test
    void passphraseProtectedSshKeyIsRefused() throws Exception {
        Path sshKey = dir.resolve("id_locked");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "correct horse", "-f", sshKey.toString());

        assertThatThrownBy(() -> AgeIdentities.readSshKey(sshKey))
                .isInstanceOf(SecretsException.class)
                .hasMessageContaining("passphrase-protected");
    }

    private String secretLine(Path keyFile) throws IOException {
        return Files.readAllLines(keyFile).stream().filter(l -> l.startsWith("AGE-SECRET-KEY-1")).findFirst().orElseThrow();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(Arrays.asList(command))).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + exit + "): " + output);
        }
        return output;
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
