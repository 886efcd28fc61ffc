package org.gitopssync.fleet;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** The builders a host believes ({@code [fleet] trusted_keys}, Nix public keys {@code name:base64}). */
public final class TrustedKeys {

    private final Map<String, Ed25519PublicKeyParameters> keys = new LinkedHashMap<>();

    /** The keys were checked when the configuration was loaded ({@code name:base64} of 32 bytes). */
    public TrustedKeys(List<String> publicKeys) {
        for (String k : publicKeys) {
            int colon = k.indexOf(':');
            keys.put(k.substring(0, colon), new Ed25519PublicKeyParameters(Base64.getDecoder().decode(k.substring(colon + 1)), 0));
        }
    }

    /** Throws {@link ReleaseRefusedException} naming {@code where} unless a trusted key signed the record. */
    public void verify(String where, ReleaseRecord record) {
        String signature = record.signature();
        if (signature == null || signature.isBlank()) {
            throw new ReleaseRefusedException(where, "signature", "the record is unsigned");
        }
        int colon = signature.indexOf(':');
        if (colon <= 0) {
            throw new ReleaseRefusedException(where, "signature", "the signature is not name:base64");
        }
        String name = signature.substring(0, colon);
        Ed25519PublicKeyParameters key = keys.get(name);
        if (key == null) {
            throw new ReleaseRefusedException(where, "trusted key", "signed by \"" + name
                    + "\", which is not in fleet.trusted_keys " + keys.keySet());
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(signature.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new ReleaseRefusedException(where, "signature", "the signature is not valid base64");
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        byte[] message = record.canonicalBytes();
        verifier.update(message, 0, message.length);
        if (sig.length != 64 || !verifier.verifySignature(sig)) {
            throw new ReleaseRefusedException(where, "signature", "the signature by " + name
                    + " does not match the record's contents (altered after signing, or signed with another key"
                    + " of the same name)");
        }
    }
}
