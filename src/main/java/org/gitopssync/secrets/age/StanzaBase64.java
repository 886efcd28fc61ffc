package org.gitopssync.secrets.age;

import java.util.Base64;
import com.exceptionfactory.jagged.UnsupportedRecipientStanzaException;

/** The unpadded, canonical standard base64 that age uses for stanza arguments. */
final class StanzaBase64 {

    private StanzaBase64() {
    }

    static String encode(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] decode(String text) throws UnsupportedRecipientStanzaException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedRecipientStanzaException("stanza argument is not base64");
        }
        // age rejects padding and non-canonical trailing bits.
        if (!encode(bytes).equals(text)) {
            throw new UnsupportedRecipientStanzaException("stanza argument is not canonical unpadded base64");
        }
        return bytes;
    }
}
