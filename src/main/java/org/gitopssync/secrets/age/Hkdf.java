package org.gitopssync.secrets.age;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA-256 (RFC 5869), which the JDK does not offer before Java 24. */
final class Hkdf {

    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LENGTH = 32;

    private Hkdf() {
    }

    static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) throws GeneralSecurityException {
        // RFC 5869 2.2: an absent salt is a string of HashLen zeros.
        byte[] effectiveSalt = salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        Mac extract = Mac.getInstance(HMAC);
        extract.init(new SecretKeySpec(effectiveSalt, HMAC));
        byte[] prk = extract.doFinal(ikm);

        Mac expand = Mac.getInstance(HMAC);
        expand.init(new SecretKeySpec(prk, HMAC));
        ByteArrayOutputStream okm = new ByteArrayOutputStream(length);
        byte[] previous = new byte[0];
        for (int counter = 1; okm.size() < length; counter++) {
            expand.update(previous);
            expand.update(info);
            expand.update((byte) counter);
            previous = expand.doFinal();
            okm.write(previous, 0, Math.min(previous.length, length - okm.size()));
        }
        return okm.toByteArray();
    }
}
