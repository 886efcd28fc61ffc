package org.gitopssync.secrets.age;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.bech32.Bech32;
import com.exceptionfactory.jagged.bech32.Bech32Address;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.gitopssync.secrets.SecretsException;

/** One key that can open age files: a native X25519 identity or an OpenSSH ed25519 key. */
public final class AgeIdentity {

    /** The identity's key type. */
    public enum Kind { X25519, SSH_ED25519 }

    static final String SECRET_KEY_HRP = "age-secret-key-";
    static final String RECIPIENT_HRP = "age";

    private final Kind kind;
    private final String recipient;
    private final String origin;
    private final String derivedRecipient;
    private final OpenSshEd25519Key sshKey;
    private final List<RecipientStanzaReader> readers;

    private AgeIdentity(Kind kind, String recipient, String origin, String derivedRecipient,
            OpenSshEd25519Key sshKey, List<RecipientStanzaReader> readers) {
        this.kind = kind;
        this.recipient = recipient;
        this.origin = origin;
        this.derivedRecipient = derivedRecipient;
        this.sshKey = sshKey;
        this.readers = readers;
    }

    /** An X25519 identity from its {@code AGE-SECRET-KEY-1...} encoding; {@code origin} names it in messages. */
    public static AgeIdentity x25519(String secretKey, String origin) {
        byte[] scalar = decodeSecretKey(secretKey.strip(), origin);
        try {
            RecipientStanzaReader reader =
                    X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(secretKey.strip().toUpperCase(Locale.ROOT));
            String recipient = recipientOf(scalar);
            return new AgeIdentity(Kind.X25519, recipient, origin, recipient, null, List.of(reader));
        } catch (GeneralSecurityException e) {
            throw new SecretsException(origin + ": invalid age X25519 identity", e);
        }
    }

    /**
     * An OpenSSH ed25519 private key. It opens "ssh-ed25519" stanzas (age -R, agenix) and X25519 stanzas
     * for the key derived the sops-nix / ssh-to-age way.
     */
    public static AgeIdentity sshEd25519(String openSshPrivateKey, String origin) {
        OpenSshEd25519Key key = OpenSshEd25519Key.parse(openSshPrivateKey, origin);
        try {
            String derived = encodeSecretKey(key.x25519Scalar());
            List<RecipientStanzaReader> readers = List.of(
                    new SshEd25519StanzaReader(key),
                    X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(derived));
            return new AgeIdentity(Kind.SSH_ED25519, key.authorizedKey(), origin,
                    recipientOf(key.x25519Scalar()), key, readers);
        } catch (GeneralSecurityException e) {
            throw new SecretsException(origin + ": cannot use ssh-ed25519 key for age", e);
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The public side: {@code age1...} for X25519, the authorized_keys line for SSH keys. */
    public String recipient() {
        return recipient;
    }

    /** The {@code age1...} recipient this identity opens as X25519 (for SSH keys: the ssh-to-age derived one). */
    public String ageRecipient() {
        return derivedRecipient;
    }

    /** Where the identity was loaded from, safe to print. */
    public String origin() {
        return origin;
    }

    /** The ssh-to-age conversion of an SSH key ({@code AGE-SECRET-KEY-1...}); empty for X25519 identities. */
    Optional<String> derivedSecretKey() {
        return sshKey == null ? Optional.empty() : Optional.of(encodeSecretKey(sshKey.x25519Scalar()));
    }

    Optional<String> sshTag() {
        if (sshKey == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(SshEd25519StanzaReader.tagOf(sshKey.publicKeyBlob()));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    List<RecipientStanzaReader> stanzaReaders() {
        return readers;
    }

    @Override
    public String toString() {
        return (kind == Kind.X25519 ? "X25519 " : "ssh-ed25519 ") + recipient + " (from " + origin + ")";
    }

    static String encodeSecretKey(byte[] scalar) {
        return Bech32.getEncoder().encode(SECRET_KEY_HRP, scalar).toString().toUpperCase(Locale.ROOT);
    }

    private static String recipientOf(byte[] scalar) throws GeneralSecurityException {
        return Bech32.getEncoder().encode(RECIPIENT_HRP, X25519.publicKey(scalar)).toString();
    }

    private static byte[] decodeSecretKey(String secretKey, String origin) {
        Bech32Address address;
        try {
            address = Bech32.getDecoder().decode(secretKey.toLowerCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new SecretsException(origin + ": malformed age secret key (bad bech32 encoding)");
        }
        if (!SECRET_KEY_HRP.contentEquals(address.getHumanReadablePart()) || address.getData().length != 32) {
            throw new SecretsException(origin + ": not an age X25519 secret key (AGE-SECRET-KEY-1...)");
        }
        return address.getData();
    }
}
