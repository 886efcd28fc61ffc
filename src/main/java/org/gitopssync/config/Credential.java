package org.gitopssync.config;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A resolved secret value (token, password, key); never printed, never part of a command line. */
public final class Credential {

    private final byte[] value;
    private final String origin;

    public Credential(byte[] value, String origin) {
        this.value = value.clone();
        this.origin = origin;
    }

    public static Credential of(String value, String origin) {
        return new Credential(value.getBytes(StandardCharsets.UTF_8), origin);
    }

    /** The value as text, trailing newlines removed (files written by editors end in one). */
    public String reveal() {
        String s = new String(value, StandardCharsets.UTF_8);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    public byte[] revealBytes() {
        return value.clone();
    }

    /** Where the value came from ("env GITHUB_TOKEN", "file /run/keys/token"), safe to print. */
    public String origin() {
        return origin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credential c && Arrays.equals(value, c.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "<redacted from " + origin + ">";
    }
}
