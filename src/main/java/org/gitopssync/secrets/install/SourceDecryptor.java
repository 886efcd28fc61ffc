package org.gitopssync.secrets.install;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.gitopssync.config.Credential;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.secrets.sops.DecryptedDocument;
import org.gitopssync.secrets.sops.SopsFile;
import org.gitopssync.secrets.sops.SopsFormat;

/**
 * Opens the sources of one commit's manifest entries. Each sops file is decrypted once however many secrets
 * it holds; what it decrypted lives only as long as this object (one cycle).
 */
final class SourceDecryptor {

    private final CommitFiles files;
    private final SecretsKeys keys;
    private final Map<String, DecryptedDocument> documents = new HashMap<>();
    private final Map<String, Map<String, Credential>> vaultSecrets = new HashMap<>();

    SourceDecryptor(CommitFiles files, SecretsKeys keys) {
        this.files = files;
        this.keys = keys;
    }

    /** The entry's value; errors name the source file and key, never a value. */
    Plaintext open(SecretSource source) {
        if (source instanceof SecretSource.SopsValue v) {
            return Plaintext.of(document(v.file(), v.format()).value(v.key()));
        }
        if (source instanceof SecretSource.SopsDocument d) {
            return new Plaintext(document(d.file(), d.format()).render());
        }
        if (source instanceof SecretSource.AgeFile a) {
            return new Plaintext(keys.age().decrypt(repoFile(a.file()), a.file()));
        }
        SecretSource.VaultField v = (SecretSource.VaultField) source;
        if (keys.vault().isEmpty()) {
            throw new SecretsException(v.describe() + ": no [vault] section is configured on this host");
        }
        // one read per secret per cycle: its fields come from the same version, and Vault is asked once
        Map<String, Credential> secret = vaultSecrets.computeIfAbsent(v.path(), p -> keys.vault().get().readSecret(p));
        Credential value = secret.get(v.field());
        if (value == null) {
            // the client words the error (address, mount, path, field); only this path asks twice
            value = keys.vault().get().read(v.path(), v.field());
        }
        return new Plaintext(value.revealBytes());
    }

    /** A plain file of the commit (a template's text). */
    String text(String path) {
        return new String(repoFile(path), StandardCharsets.UTF_8);
    }

    private DecryptedDocument document(String file, SopsFormat format) {
        String cacheKey = format + ":" + file;
        DecryptedDocument doc = documents.get(cacheKey);
        if (doc == null) {
            doc = keys.sops().decrypt(SopsFile.parse(file, repoFile(file), format));
            documents.put(cacheKey, doc);
        }
        return doc;
    }

    private byte[] repoFile(String path) {
        return files.read(path).orElseThrow(() -> new SecretsException(path + ": no such file in commit "
                + abbrev(files.commit())));
    }

    private static String abbrev(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
