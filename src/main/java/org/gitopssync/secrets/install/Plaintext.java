package org.gitopssync.secrets.install;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/** Decrypted bytes on their way to a secret file; never printed (toString is redacted), wiped after use. */
final class Plaintext {

    private final byte[] bytes;

    Plaintext(byte[] bytes) {
        this.bytes = bytes;
    }

    static Plaintext of(String text) {
        return new Plaintext(text.getBytes(StandardCharsets.UTF_8));
    }

    byte[] bytes() {
        return bytes;
    }

    String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    boolean sameAs(byte[] other) {
        return MessageDigest.isEqual(bytes, other);
    }

    /** Best effort: the array is zeroed; copies the JVM made of strings cannot be. */
    void wipe() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "Plaintext[" + bytes.length + " bytes, redacted]";
    }
}
