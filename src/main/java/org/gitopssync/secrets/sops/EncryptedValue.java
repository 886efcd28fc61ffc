package org.gitopssync.secrets.sops;

import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]} value. */
record EncryptedValue(byte[] data, byte[] iv, byte[] tag, String type) {

    // Same shape as sops's own pattern (anchored at the start only, greedy groups).
    private static final Pattern FORMAT = Pattern.compile("^ENC\\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\\]");

    private static final String PREFIX = "ENC[AES256_GCM,data:";

    private static final byte INVALID = -1;
    private static final byte PADDING = -2;
    // Each base64 character's value: INVALID for others, PADDING for '='.
    private static final byte[] DIGITS = new byte[128];

    static {
        Arrays.fill(DIGITS, INVALID);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            DIGITS[alphabet.charAt(i)] = (byte) i;
        }
        DIGITS['='] = PADDING;
    }

    /** Empty when the text is not in sops's format or holds bad base64. */
    static Optional<EncryptedValue> parse(String text) {
        Optional<EncryptedValue> canonical = parseCanonical(text);
        if (canonical != null) {
            return canonical;
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            Base64.Decoder decoder = Base64.getDecoder();
            return Optional.of(new EncryptedValue(decoder.decode(m.group(1)), decoder.decode(m.group(2)),
                    decoder.decode(m.group(3)), m.group(4)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The value as sops writes it, read without the pattern (whose greedy groups backtrack over the whole text, the
     * largest cost of a file of many values); null when the text has any other shape, for the pattern to decide.
     * Base64 parts hold no comma and the type no ']', so each separator occurs once and the greedy groups could not
     * have matched differently.
     */
    private static Optional<EncryptedValue> parseCanonical(String text) {
        if (!text.startsWith(PREFIX) || text.charAt(text.length() - 1) != ']') {
            return null;
        }
        int dataEnd = base64End(text, PREFIX.length());
        int ivStart = after(text, dataEnd, ",iv:");
        int ivEnd = base64End(text, ivStart);
        int tagStart = after(text, ivEnd, ",tag:");
        int tagEnd = base64End(text, tagStart);
        int typeStart = after(text, tagEnd, ",type:");
        if (dataEnd == PREFIX.length() || ivStart < 0 || ivEnd == ivStart || tagStart < 0 || tagEnd == tagStart
                || typeStart < 0) {
            return null;
        }
        int typeEnd = text.length() - 1;
        if (typeEnd == typeStart) {
            return null;
        }
        for (int i = typeStart; i < typeEnd; i++) {
            char c = text.charAt(i);
            if (c < 'a' || c > 'z') {
                return null;
            }
        }
        try {
            return Optional.of(new EncryptedValue(decode(text, PREFIX.length(), dataEnd), decode(text, ivStart, ivEnd),
                    decode(text, tagStart, tagEnd), text.substring(typeStart, typeEnd)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Where the run of base64 characters from start ends (start itself when there is none, or start is -1). */
    private static int base64End(String text, int start) {
        if (start < 0) {
            return -1;
        }
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c >= DIGITS.length || DIGITS[c] == INVALID) {
                break;
            }
            i++;
        }
        return i;
    }

    /** The bytes of a run of base64 characters; Java's decoder decides what is not in canonical padded form. */
    private static byte[] decode(String text, int start, int end) {
        byte[] canonical = decodeCanonical(text, start, end);
        return canonical != null ? canonical : Base64.getDecoder().decode(text.substring(start, end));
    }

    /**
     * Padded standard base64 decoded straight from the text, without the copies a decoder call makes; null for any
     * other form (no padding, '=' inside, bits left over), which the decoder then accepts or refuses as it always did.
     */
    private static byte[] decodeCanonical(String text, int start, int end) {
        int length = end - start;
        if (length == 0 || length % 4 != 0) {
            return null;
        }
        int pad = text.charAt(end - 1) != '=' ? 0 : text.charAt(end - 2) != '=' ? 1 : 2;
        byte[] out = new byte[length / 4 * 3 - pad];
        int o = 0;
        int last = end - 4;
        for (int i = start; i < last; i += 4) {
            int a = DIGITS[text.charAt(i)];
            int b = DIGITS[text.charAt(i + 1)];
            int c = DIGITS[text.charAt(i + 2)];
            int d = DIGITS[text.charAt(i + 3)];
            if ((a | b | c | d) < 0) {
                return null;
            }
            int bits = a << 18 | b << 12 | c << 6 | d;
            out[o++] = (byte) (bits >> 16);
            out[o++] = (byte) (bits >> 8);
            out[o++] = (byte) bits;
        }
        int a = DIGITS[text.charAt(last)];
        int b = DIGITS[text.charAt(last + 1)];
        int c = pad == 2 ? 0 : DIGITS[text.charAt(last + 2)];
        int d = pad >= 1 ? 0 : DIGITS[text.charAt(last + 3)];
        if ((a | b | c | d) < 0 || (pad == 1 && (c & 0x3) != 0) || (pad == 2 && (b & 0xf) != 0)) {
            return null;
        }
        int bits = a << 18 | b << 12 | c << 6 | d;
        out[o++] = (byte) (bits >> 16);
        if (pad < 2) {
            out[o++] = (byte) (bits >> 8);
        }
        if (pad < 1) {
            out[o] = (byte) bits;
        }
        return out;
    }

    /** The index after separator when it stands at position at, else -1. */
    private static int after(String text, int at, String separator) {
        return at >= 0 && text.startsWith(separator, at) ? at + separator.length() : -1;
    }

    /** What is wrong with text that {@link #parse} refuses, in words fit for an error message. */
    static String problem(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.find()) {
            return "not of the form ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]";
        }
        String[] names = {"data", "iv", "tag"};
        for (int i = 0; i < names.length; i++) {
            try {
                Base64.getDecoder().decode(m.group(i + 1));
            } catch (IllegalArgumentException e) {
                return "its " + names[i] + " is not valid base64";
            }
        }
        return "unreadable";
    }

    @Override
    public String toString() {
        return "EncryptedValue[type=" + type + "]";
    }
}
