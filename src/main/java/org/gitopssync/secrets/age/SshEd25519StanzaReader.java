package org.gitopssync.secrets.age;

import com.exceptionfactory.jagged.FileKey;
import com.exceptionfactory.jagged.RecipientStanza;
import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.UnsupportedRecipientStanzaException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Opens age "ssh-ed25519" stanzas (as written by age -R and agenix) with an OpenSSH ed25519 key. */
final class SshEd25519StanzaReader implements RecipientStanzaReader {

    static final String STANZA_TYPE = "ssh-ed25519";
    private static final byte[] LABEL = "age-encryption.org/v1/ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
    private static final int WRAPPED_FILE_KEY_LENGTH = 32;

    private final byte[] scalar;
    private final byte[] ourPublicKey;
    private final byte[] tweak;
    private final String tag;

    SshEd25519StanzaReader(OpenSshEd25519Key key) throws GeneralSecurityException {
        this.scalar = key.x25519Scalar();
        this.ourPublicKey = X25519.publicKey(scalar);
        byte[] blob = key.publicKeyBlob();
        // The tweak binds the shared secret to this exact SSH public key: HKDF with an empty IKM, salted with the key.
        this.tweak = Hkdf.sha256(new byte[0], blob, LABEL, 32);
        this.tag = tagOf(blob);
    }

    /** The stanza's first argument: base64 (no padding) of the first 4 bytes of SHA-256 over the public key blob. */
    static String tagOf(byte[] publicKeyBlob) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKeyBlob);
        return StanzaBase64.encode(Arrays.copyOf(digest, 4));
    }

    @Override
    public FileKey getFileKey(Iterable<RecipientStanza> stanzas) throws GeneralSecurityException {
        GeneralSecurityException failure = null;
        for (RecipientStanza stanza : stanzas) {
            if (!STANZA_TYPE.equals(stanza.getType())) {
                continue;
            }
            List<String> args = stanza.getArguments();
            if (args.size() != 2) {
                throw new UnsupportedRecipientStanzaException("ssh-ed25519 stanza must have two arguments");
            }
            if (!tag.equals(args.get(0))) {
                continue;
            }
            try {
                return unwrap(args.get(1), stanza.getBody());
            } catch (GeneralSecurityException e) {
                failure = e;
            }
        }
        UnsupportedRecipientStanzaException none =
                new UnsupportedRecipientStanzaException("no ssh-ed25519 stanza for key tag " + tag);
        if (failure != null) {
            none.addSuppressed(failure);
        }
        throw none;
    }

    private FileKey unwrap(String ephemeralShareText, byte[] body) throws GeneralSecurityException {
        byte[] ephemeralShare = StanzaBase64.decode(ephemeralShareText);
        if (ephemeralShare.length != X25519.LENGTH) {
            throw new UnsupportedRecipientStanzaException("ssh-ed25519 ephemeral share must be 32 bytes");
        }
        if (body.length != WRAPPED_FILE_KEY_LENGTH) {
            throw new UnsupportedRecipientStanzaException("ssh-ed25519 stanza body must be 32 bytes");
        }
        byte[] shared = X25519.multiply(scalar, ephemeralShare);
        byte[] tweaked = X25519.multiply(tweak, shared);
        byte[] salt = new byte[ephemeralShare.length + ourPublicKey.length];
        System.arraycopy(ephemeralShare, 0, salt, 0, ephemeralShare.length);
        System.arraycopy(ourPublicKey, 0, salt, ephemeralShare.length, ourPublicKey.length);
        byte[] wrapKey = Hkdf.sha256(tweaked, salt, LABEL, 32);

        Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(wrapKey, "ChaCha20"), new IvParameterSpec(new byte[12]));
        return new FileKey(cipher.doFinal(body));
    }
}
