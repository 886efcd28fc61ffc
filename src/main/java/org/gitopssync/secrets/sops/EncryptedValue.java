package org.gitopssync.secrets.sops;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]} value. */
record EncryptedValue(byte[] data, byte[] iv, byte[] tag, String type) {

    // Same shape as sops's own pattern (anchored at the start only, greedy groups).
    private static final Pattern FORMAT = Pattern.compile("^ENC\\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\\]");

    /** Empty when the text is not in sops's format or holds bad base64. */
    static Optional<EncryptedValue> parse(String text) {
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
