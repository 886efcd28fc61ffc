package org.gitopssync.secrets.age;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.gitopssync.secrets.SecretsException;

/** An unencrypted OpenSSH ed25519 private key ("openssh-key-v1" format): its 32-byte seed and public key. */
final class OpenSshEd25519Key {

    static final String KEY_TYPE = "ssh-ed25519";
    private static final String BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private static final String END = "-----END OPENSSH PRIVATE KEY-----";
    private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    private final byte[] seed;
    private final byte[] publicKey;

    private OpenSshEd25519Key(byte[] seed, byte[] publicKey) {
        this.seed = seed;
        this.publicKey = publicKey;
    }

    static boolean looksLikeOpenSshKey(String text) {
        return text.strip().startsWith(BEGIN);
    }

    /** Parses the PEM text; {@code origin} names the key in error messages. */
    static OpenSshEd25519Key parse(String pem, String origin) {
        String text = pem.strip();
        int end = text.indexOf(END);
        if (!text.startsWith(BEGIN) || end < 0) {
            throw new SecretsException(origin + ": not an OpenSSH private key (expected " + BEGIN + ")");
        }
        byte[] blob;
        try {
            blob = Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new SecretsException(origin + ": OpenSSH private key is not valid base64");
        }
        try {
            return fromBlob(ByteBuffer.wrap(blob), origin);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SecretsException(origin + ": truncated or malformed OpenSSH private key");
        }
    }

    private static OpenSshEd25519Key fromBlob(ByteBuffer in, String origin) {
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new SecretsException(origin + ": not an openssh-key-v1 private key");
        }
        String cipher = readString(in);
        String kdf = readString(in);
        readBytes(in);
        if (!"none".equals(cipher) || !"none".equals(kdf)) {
            throw new SecretsException(origin + ": passphrase-protected OpenSSH keys are not supported"
                    + " (remove the passphrase with ssh-keygen -p, or convert the key with ssh-to-age)");
        }
        int count = in.getInt();
        if (count != 1) {
            throw new SecretsException(origin + ": expected exactly one key in the OpenSSH key file, found " + count);
        }
        readBytes(in);
        ByteBuffer section = ByteBuffer.wrap(readBytes(in));
        if (section.getInt() != section.getInt()) {
            throw new SecretsException(origin + ": OpenSSH private key check bytes differ (corrupted or encrypted key)");
        }
        String type = readString(section);
        if (!KEY_TYPE.equals(type)) {
            throw new SecretsException(origin + ": unsupported SSH key type " + type + " (only ssh-ed25519 keys are supported)");
        }
        byte[] publicKey = readBytes(section);
        byte[] secret = readBytes(section);
        if (publicKey.length != 32 || secret.length != 64
                || !Arrays.equals(publicKey, Arrays.copyOfRange(secret, 32, 64))) {
            throw new SecretsException(origin + ": malformed ssh-ed25519 private key");
        }
        return new OpenSshEd25519Key(Arrays.copyOf(secret, 32), publicKey);
    }

    private static byte[] readBytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("length out of range");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static String readString(ByteBuffer in) {
        return new String(readBytes(in), StandardCharsets.US_ASCII);
    }

    /** The SSH wire encoding of the public key, as in authorized_keys. */
    byte[] publicKeyBlob() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeString(out, KEY_TYPE.getBytes(StandardCharsets.US_ASCII));
        writeString(out, publicKey);
        return out.toByteArray();
    }

    String authorizedKey() {
        return KEY_TYPE + " " + Base64.getEncoder().encodeToString(publicKeyBlob());
    }

    /** The X25519 scalar age and ssh-to-age derive from the seed: the first half of SHA-512(seed), unclamped. */
    byte[] x25519Scalar() {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-512").digest(seed), 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-512 is missing from the JDK", e);
        }
    }

    private static void writeString(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        out.writeBytes(value);
    }
}
