package org.gitopssync.secrets.sops;

import java.util.List;
import org.gitopssync.secrets.SecretsException;

/** Decrypts sops files with data keys from a chain of {@link DataKeySource}s, checking the MAC. */
public final class SopsDecryptor {

    private final List<DataKeySource> sources;
    private final boolean verifyMac;

    public SopsDecryptor(List<DataKeySource> sources) {
        this(sources, true);
    }

    private SopsDecryptor(List<DataKeySource> sources, boolean verifyMac) {
        this.sources = List.copyOf(sources);
        this.verifyMac = verifyMac;
    }

    /** A decryptor that skips the MAC check, like {@code sops -d --ignore-mac}. Only for deliberate recovery. */
    public SopsDecryptor ignoringMac() {
        return new SopsDecryptor(sources, false);
    }

    public DecryptedDocument decrypt(SopsFile file) {
        byte[] dataKey = new DataKeyUnlocker(sources).unlock(file.name(), file.metadata());
        return decryptWithDataKey(file, dataKey);
    }

    /** Test seam: decrypts with a known data key instead of unwrapping one from the key groups. */
    DecryptedDocument decryptWithDataKey(SopsFile file, byte[] dataKey) {
        ValueCipher cipher = new ValueCipher(dataKey);
        TreeDecryption.Result result = new TreeDecryption(file.name(), file.metadata(), cipher).run(file.branches());
        if (verifyMac) {
            verifyMac(file, cipher, result.mac());
        }
        return new DecryptedDocument(file.name(), file.format(), file.store(), result.branches(), result.leaves(),
                result.mac());
    }

    private static void verifyMac(SopsFile file, ValueCipher cipher, String computed) {
        SopsMetadata metadata = file.metadata();
        if (metadata.mac().isEmpty()) {
            throw new SecretsException(file.name() + ": no MAC in sops metadata (use --ignore-mac to skip the check)");
        }
        Object stored;
        try {
            stored = cipher.decrypt(metadata.mac(), metadata.lastModified().rfc3339());
        } catch (ValueCipher.Failure e) {
            throw new SecretsException(file.name() + ": MAC mismatch (the stored MAC does not decrypt: "
                    + "metadata tampered with, lastmodified changed or wrong data key)");
        }
        if (!computed.equals(stored)) {
            throw new SecretsException(file.name() + ": MAC mismatch (the file's values were modified)");
        }
    }
}
