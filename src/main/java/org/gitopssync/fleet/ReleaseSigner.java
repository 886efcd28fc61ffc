package org.gitopssync.fleet;

import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.gitopssync.config.Credential;

/**
 * Signs release records with an Ed25519 secret key in Nix's format ({@code nix key generate-secret}: {@code
 * name:base64} of the 32-byte seed followed by the 32-byte public key). The key bytes never leave this object.
 */
public final class ReleaseSigner {

    private final String name;
    private final Ed25519PrivateKeyParameters key;

    private ReleaseSigner(String name, Ed25519PrivateKeyParameters key) {
        this.name = name;
        this.key = key;
    }

    /** Reads the key; {@code what} names the setting in errors (never the value). */
    public static ReleaseSigner of(Credential secret, String what) {
        String text = secret.reveal().strip();
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new ReleaseException(what + " (" + secret.origin() + "): not a Nix secret key (name:base64, as"
                    + " `nix key generate-secret --key-name NAME` writes)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new ReleaseException(what + " (" + secret.origin() + "): the key is not valid base64");
        }
        try {
            if (bytes.length != 64) {
                throw new ReleaseException(what + " (" + secret.origin() + "): an Ed25519 secret key has 64 bytes, this"
                        + " one " + bytes.length + (bytes.length == 32 ? " (a public key?)" : ""));
            }
            Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(bytes, 0);
            if (!Arrays.equals(key.generatePublicKey().getEncoded(), Arrays.copyOfRange(bytes, 32, 64))) {
                throw new ReleaseException(what + " (" + secret.origin() + "): the key's two halves do not match"
                        + " (a damaged key file?)");
            }
            return new ReleaseSigner(text.substring(0, colon), key);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The key's name, the part before the colon. */
    public String name() {
        return name;
    }

    /** The public key as {@code nix key convert-secret-to-public} prints it, for {@code trusted_keys}. */
    public String publicKey() {
        return name + ":" + Base64.getEncoder().encodeToString(key.generatePublicKey().getEncoded());
    }

    /** The record with its signature ({@code name:base64}) over its canonical bytes. */
    public ReleaseRecord sign(ReleaseRecord record) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        byte[] message = record.canonicalBytes();
        signer.update(message, 0, message.length);
        return record.signedWith(name + ":" + Base64.getEncoder().encodeToString(signer.generateSignature()));
    }
}
