package org.gitopssync.secrets.sops;

import java.nio.charset.StandardCharsets;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.secrets.age.AgeDecryptor;

/** Unwraps {@code age} entries (ASCII-armored age files) with the configured age identities. */
public final class AgeKeySource implements DataKeySource {

    private static final String POST_QUANTUM_PREFIX = "age1pq1";

    private final AgeDecryptor decryptor;

    public AgeKeySource(AgeDecryptor decryptor) {
        this.decryptor = decryptor;
    }

    @Override
    public boolean handles(SopsMasterKey key) {
        // ML-KEM hybrid recipients need age >= 1.3; report them as skipped instead of failing to decrypt.
        return "age".equals(key.type()) && !key.identifier().startsWith(POST_QUANTUM_PREFIX);
    }

    @Override
    public byte[] unwrap(SopsMasterKey key) {
        try {
            return decryptor.decrypt(key.encryptedKey().getBytes(StandardCharsets.US_ASCII), "data key");
        } catch (SecretsException e) {
            String reason = e.getMessage().contains("no identity matches") || e.getMessage().contains("no age identities")
                    ? "no matching identity"
                    : e.getMessage().replaceFirst("^data key: ", "");
            throw new SecretsException(reason, e);
        }
    }
}
