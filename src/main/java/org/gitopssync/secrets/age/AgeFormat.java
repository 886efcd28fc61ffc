package org.gitopssync.secrets.age;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks an age file against the format (age-encryption.org/v1) before any key is tried, so that a broken or
 * hostile file is refused for what is wrong with it rather than reported as "no identity matches".
 */
final class AgeFormat {

    private static final String VERSION_LINE = "age-encryption.org/v1";
    private static final String ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
    private static final String ARMOR_END = "-----END AGE ENCRYPTED FILE-----";
    private static final int COLUMNS = 64;
    private static final int NONCE = 16;
    private static final int TAG = 16;
    // Any clamped scalar maps a low-order point to zero: one fixed scalar tells low-order shares apart.
    private static final byte[] PROBE_SCALAR = probeScalar();

    private AgeFormat() {
    }

    /** Whether the file claims to be age (binary or armored, also broken armor), judged from its first kilobyte. */
    static boolean looksLikeAge(byte[] file) {
        String start = new String(file, 0, Math.min(file.length, 1024), StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT);
        if (start.stripLeading().startsWith(VERSION_LINE)) {
            return true;
        }
        // An armor line at the start of a line; sops files carry age armor too, but indented or inside a string.
        for (String line : start.split("\n")) {
            if (line.startsWith("-----begin ") && (line.contains(" age") || line.contains("encrypted file"))) {
                return true;
            }
        }
        return false;
    }

    /** What is wrong with the file, in words for an error message; empty when it is well-formed. */
    static Optional<String> problem(byte[] file) {
        String start = new String(file, 0, Math.min(file.length, 1024), StandardCharsets.ISO_8859_1);
        if (start.startsWith("age-encryption.org/")) {
            return binaryProblem(file);
        }
        if (!start.stripLeading().startsWith(ARMOR_BEGIN)) {
            return Optional.of(start.toLowerCase(Locale.ROOT).contains("-----begin")
                    ? "the armor does not begin with " + ARMOR_BEGIN + " (leading text, wrong case or wrong type)"
                    : "it does not begin with " + VERSION_LINE + " or " + ARMOR_BEGIN);
        }
        String text = new String(file, StandardCharsets.ISO_8859_1).strip().replace("\r\n", "\n");
        String[] lines = text.split("\n", -1);
        if (!lines[lines.length - 1].equals(ARMOR_END)) {
            return Optional.of("the armor does not end with " + ARMOR_END);
        }
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < lines.length - 1; i++) {
            String line = lines[i];
            boolean last = i == lines.length - 2;
            if (line.length() > COLUMNS || (!last && line.length() != COLUMNS) || !line.matches("[A-Za-z0-9+/=]*")) {
                return Optional.of("armor line " + (i + 1) + " is not a line of " + COLUMNS + " base64 characters");
            }
            body.append(line);
        }
        byte[] binary;
        try {
            binary = Base64.getDecoder().decode(body.toString());
        } catch (IllegalArgumentException e) {
            return Optional.of("the armored text is not valid base64");
        }
        return binaryProblem(binary).map(problem -> "inside the armor, " + problem);
    }

    private static Optional<String> binaryProblem(byte[] file) {
        Cursor cursor = new Cursor(file);
        String version = cursor.line();
        if (!VERSION_LINE.equals(version)) {
            return Optional.of("the first line is not " + VERSION_LINE);
        }
        int stanzas = 0;
        while (true) {
            String line = cursor.line();
            if (line == null) {
                return Optional.of("the header ends without its MAC line (--- ...)");
            }
            if (line.startsWith("--- ") || line.equals("---")) {
                if (stanzas == 0) {
                    return Optional.of("the header has no recipient stanza");
                }
                if (!canonical(line.length() > 4 ? line.substring(4) : "", 32)) {
                    return Optional.of("the header MAC line does not hold a 32-byte MAC");
                }
                break;
            }
            if (!line.startsWith("-> ")) {
                return Optional.of("header line " + cursor.lineNumber() + " is neither a stanza (-> ...) nor the MAC"
                        + " line (--- ...)");
            }
            stanzas++;
            Optional<String> problem = stanzaProblem(stanzas, line.substring(3), cursor);
            if (problem.isPresent()) {
                return problem;
            }
        }
        if (cursor.remaining() < NONCE + TAG) {
            return Optional.of("the payload is truncated (" + cursor.remaining() + " bytes after the header)");
        }
        return Optional.empty();
    }

    private static Optional<String> stanzaProblem(int number, String typeAndArguments, Cursor cursor) {
        String[] words = typeAndArguments.split(" ", -1);
        for (String word : words) {
            if (word.isEmpty() || !word.chars().allMatch(c -> c >= 33 && c <= 126)) {
                return Optional.of("stanza " + number + " has an empty or non-printable argument");
            }
        }
        List<String> bodyLines = new ArrayList<>();
        while (true) {
            String line = cursor.line();
            if (line == null) {
                return Optional.of("stanza " + number + " (" + words[0] + ") has no end to its body");
            }
            if (line.length() > COLUMNS || !line.matches("[A-Za-z0-9+/]*")) {
                return Optional.of("stanza " + number + " (" + words[0] + ") has a body line that is not unpadded"
                        + " base64 of at most " + COLUMNS + " characters");
            }
            bodyLines.add(line);
            if (line.length() < COLUMNS) {
                break;
            }
        }
        String body = String.join("", bodyLines);
        switch (words[0]) {
            case "X25519" -> {
                if (words.length != 2 || !canonical(words[1], 32)) {
                    return Optional.of("stanza " + number + " (X25519) does not hold one 32-byte share");
                }
                if (!canonical(body, 32)) {
                    return Optional.of("stanza " + number + " (X25519) does not wrap a 32-byte file key");
                }
                if (lowOrder(Base64.getDecoder().decode(words[1]))) {
                    return Optional.of("stanza " + number + " (X25519) has a low-order share, which no key can open"
                            + " (the file is malicious or broken)");
                }
            }
            case "ssh-ed25519" -> {
                if (words.length != 3 || !canonical(words[1], 4) || !canonical(words[2], 32)) {
                    return Optional.of("stanza " + number + " (ssh-ed25519) does not hold a key tag and a 32-byte share");
                }
                if (!canonical(body, 32)) {
                    return Optional.of("stanza " + number + " (ssh-ed25519) does not wrap a 32-byte file key");
                }
            }
            default -> {
                // Other recipient types (scrypt, ssh-rsa, plugins) are checked by whoever can open them.
            }
        }
        return Optional.empty();
    }

    private static boolean canonical(String text, int length) {
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return bytes.length == length && StanzaBase64.encode(bytes).equals(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean lowOrder(byte[] share) {
        try {
            byte[] shared = X25519.multiply(PROBE_SCALAR, share);
            for (byte b : shared) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        } catch (GeneralSecurityException e) {
            // The JDK refuses to compute an all-zero secret.
            return true;
        }
    }

    private static byte[] probeScalar() {
        byte[] scalar = new byte[X25519.LENGTH];
        scalar[0] = 0x48;
        scalar[31] = 0x40;
        return scalar;
    }

    /** Reads newline-terminated header lines, then tells how many payload bytes follow. */
    private static final class Cursor {
        private final byte[] bytes;
        private int position;
        private int lines;

        Cursor(byte[] bytes) {
            this.bytes = bytes;
        }

        /** The next line without its newline; null when the data ends before a newline. */
        String line() {
            for (int i = position; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    String line = new String(bytes, position, i - position, StandardCharsets.ISO_8859_1);
                    position = i + 1;
                    lines++;
                    return line;
                }
            }
            return null;
        }

        int lineNumber() {
            return lines;
        }

        int remaining() {
            return bytes.length - position;
        }
    }
}
