package org.gitopssync.secrets.sops;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]} value. */
record EncryptedValue(byte[] data, byte[] iv, byte[] tag, String type) {

    // Same shape as sops's own pattern (anchored at the start only, greedy groups).
    private static final Pattern FORMAT = Pattern.compile("^ENC\\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\\]");

    private static final String PREFIX = "ENC[AES256_GCM,data:";

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
            Base64.Decoder decoder = Base64.getDecoder();
            return Optional.of(new EncryptedValue(decoder.decode(text.substring(PREFIX.length(), dataEnd)),
                    decoder.decode(text.substring(ivStart, ivEnd)), decoder.decode(text.substring(tagStart, tagEnd)),
                    text.substring(typeStart, typeEnd)));
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
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
                    || c == '=')) {
                break;
            }
            i++;
        }
        return i;
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
