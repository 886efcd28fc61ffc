package org.gitopssync.secrets.age;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gitopssync.secrets.SecretsException;

/** Loads age identities from key files, OpenSSH keys and the sops environment variables. */
public final class AgeIdentities {

    public static final String SOPS_AGE_KEY = "SOPS_AGE_KEY";
    public static final String SOPS_AGE_KEY_FILE = "SOPS_AGE_KEY_FILE";
    public static final String SOPS_AGE_SSH_PRIVATE_KEY_FILE = "SOPS_AGE_SSH_PRIVATE_KEY_FILE";

    private static final String X25519_PREFIX = "AGE-SECRET-KEY-1";
    private static final String PQ_PREFIX = "AGE-SECRET-KEY-PQ-1";
    private static final String PLUGIN_PREFIX = "AGE-PLUGIN-";

    private AgeIdentities() {
    }

    /** Everything configured: age key files, SSH key paths, then SOPS_AGE_KEY / SOPS_AGE_KEY_FILE / SOPS_AGE_SSH_PRIVATE_KEY_FILE. */
    public static List<AgeIdentity> load(List<Path> keyFiles, List<Path> sshKeyPaths, Map<String, String> environment) {
        List<AgeIdentity> identities = new ArrayList<>();
        for (Path file : keyFiles) {
            identities.addAll(readIdentityFile(file));
        }
        for (Path file : sshKeyPaths) {
            identities.add(readSshKey(file));
        }
        identities.addAll(fromEnvironment(environment));
        return List.copyOf(identities);
    }

    /** SOPS_AGE_KEY (several keys, one per line or space separated), SOPS_AGE_KEY_FILE and SOPS_AGE_SSH_PRIVATE_KEY_FILE. */
    public static List<AgeIdentity> fromEnvironment(Map<String, String> environment) {
        List<AgeIdentity> identities = new ArrayList<>();
        String inline = environment.get(SOPS_AGE_KEY);
        if (inline != null) {
            identities.addAll(parseKeyText(inline, "env " + SOPS_AGE_KEY, true));
        }
        String keyFile = environment.get(SOPS_AGE_KEY_FILE);
        if (keyFile != null && !keyFile.isBlank()) {
            identities.addAll(readIdentityFile(Path.of(keyFile)));
        }
        String sshKeyFile = environment.get(SOPS_AGE_SSH_PRIVATE_KEY_FILE);
        if (sshKeyFile != null && !sshKeyFile.isBlank()) {
            identities.add(readSshKey(Path.of(sshKeyFile)));
        }
        return List.copyOf(identities);
    }

    /** An age key file ({@code AGE-SECRET-KEY-1...} lines, {@code #} comments) or an OpenSSH private key file. */
    public static List<AgeIdentity> readIdentityFile(Path file) {
        String text = read(file);
        if (OpenSshEd25519Key.looksLikeOpenSshKey(text)) {
            return List.of(AgeIdentity.sshEd25519(text, file.toString()));
        }
        List<AgeIdentity> identities = parseKeyText(text, file.toString(), false);
        if (identities.isEmpty()) {
            throw new SecretsException(file + ": no age identity found (expected AGE-SECRET-KEY-1... lines)");
        }
        return identities;
    }

    /** An unencrypted OpenSSH ed25519 private key file. */
    public static AgeIdentity readSshKey(Path file) {
        return AgeIdentity.sshEd25519(read(file), file.toString());
    }
    private static List<AgeIdentity> parseKeyText(String text, String origin, boolean severalPerLine) {
        List<AgeIdentity> identities = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = origin + " line " + (i + 1);
            String[] words = severalPerLine ? line.split("\\s+") : new String[] {line};
            for (String word : words) {
                identities.add(parseIdentity(word, where));
            }
        }
        return identities;
    }

    private static AgeIdentity parseIdentity(String word, String where) {
        String upper = word.toUpperCase(Locale.ROOT);
        if (upper.startsWith(PQ_PREFIX)) {
            throw new SecretsException(where + ": post-quantum age identities (AGE-SECRET-KEY-PQ-1...) are not supported");
        }
        if (upper.startsWith(PLUGIN_PREFIX)) {
            throw new SecretsException(where + ": age plugin identities (AGE-PLUGIN-...) are not supported");
        }
        if (!upper.startsWith(X25519_PREFIX)) {
            throw new SecretsException(where + ": not an age identity (expected AGE-SECRET-KEY-1...)");
        }
        return AgeIdentity.x25519(word, where);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SecretsException("cannot read age identity file " + file + ": " + e.getMessage(), e);
        }
    }
}
