package org.gitopssync.secrets.sops;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** sops's AES-256-GCM value cipher: the key path is the associated data, the stored type restores the value. */
final class ValueCipher {

    /** Why a value did not decrypt; the caller adds the file and key path. */
    static final class Failure extends Exception {
        Failure(String reason) {
            super(reason, null, false, false);
        }
    }

    /** How every malformed-value failure begins; the reason follows. */
    static final String MALFORMED = "malformed ENC[...] value: ";

    private final SecretKeySpec key;
    // One instance per file: re-initialising it with the same key skips the provider lookup and key expansion
    // that dominate a file of many small values. A ValueCipher is only ever used by one thread.
    private Cipher cipher;

    ValueCipher(byte[] dataKey) {
        if (dataKey.length != 32) {
            throw new IllegalArgumentException("sops data keys are 32 bytes, got " + dataKey.length);
        }
        this.key = new SecretKeySpec(dataKey, "AES");
    }

    /** Decrypts to String, Long, Double, Boolean, byte[], GoTime or Comment; "" stays "". */
    Object decrypt(String text, String additionalData) throws Failure {
        if (text.isEmpty()) {
            return "";
        }
        EncryptedValue value = EncryptedValue.parse(text)
                .orElseThrow(() -> new Failure(MALFORMED + EncryptedValue.problem(text)));
        byte[] plain = open(value, additionalData);
        String strict = strictUtf8(plain);
        String plainText = strict != null ? strict : new String(plain, StandardCharsets.UTF_8);
        return switch (value.type()) {
            // Go strings are bytes: a binary file that is not UTF-8 (a keytab) must come back unchanged.
            case "str" -> strict != null ? strict : plain;
            case "int" -> GoNumbers.atoi(plainText).orElseThrow(() -> new Failure("decrypted int is not a number"));
            case "float" -> GoNumbers.parseFloat(plainText).orElseThrow(() -> new Failure("decrypted float is not a number"));
            case "bool" -> GoNumbers.parseBool(plainText).orElseThrow(() -> new Failure("decrypted bool is not a boolean"));
            case "bytes" -> plain;
            case "time" -> GoTime.parseRfc3339(plainText).orElseThrow(() -> new Failure("decrypted time is not RFC 3339"));
            case "comment" -> new Comment(plainText, false);
            default -> throw new Failure("unknown value type " + value.type());
        };
    }

    /** The text, or null when the bytes are not valid UTF-8. */
    private static String strictUtf8(byte[] bytes) {
        if (isAscii(bytes)) {
            // Most values: skips a decoder per value.
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private byte[] open(EncryptedValue value, String additionalData) throws Failure {
        if (value.iv().length == 0) {
            throw new Failure(MALFORMED + "its iv is empty");
        }
        if (value.tag().length != 16) {
            throw new Failure(MALFORMED + "its tag is " + value.tag().length + " bytes, not 16");
        }
        try {
            if (cipher == null) {
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
            }
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, value.iv()));
            cipher.updateAAD(additionalData.getBytes(StandardCharsets.UTF_8));
            // GCM holds back what update gives it until the tag in doFinal checks out; no joined copy is needed.
            cipher.update(value.data());
            return cipher.doFinal(value.tag());
        } catch (AEADBadTagException e) {
            throw new Failure("authentication failed (tampered or wrong key)");
        } catch (GeneralSecurityException e) {
            throw new Failure("cannot decrypt: the cipher refused its iv or key");
        }
    }
}
