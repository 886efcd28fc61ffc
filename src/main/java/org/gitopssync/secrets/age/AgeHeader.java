package org.gitopssync.secrets.age;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The recipient stanzas of an age file, read leniently only to explain why no identity matched. */
record AgeHeader(List<Stanza> stanzas) {

    /** One "-> type args..." line of the header. */
    record Stanza(String type, List<String> arguments) {

        String describe() {
            return switch (type) {
                case "X25519" -> "X25519";
                case "ssh-ed25519" -> "ssh-ed25519 (key tag " + argument(0) + ")";
                case "ssh-rsa" -> "ssh-rsa (key tag " + argument(0) + ", unsupported)";
                case "scrypt" -> "scrypt (passphrase, unsupported)";
                case "mlkem768x25519" -> "mlkem768x25519 (post-quantum, unsupported)";
                default -> type + " (unsupported)";
            };
        }

        private String argument(int index) {
            return arguments.size() > index ? arguments.get(index) : "?";
        }
    }

    private static final String VERSION_LINE = "age-encryption.org/v1";
    private static final String ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
    private static final String ARMOR_END = "-----END AGE ENCRYPTED FILE-----";

    static boolean isArmored(byte[] file) {
        String start = new String(file, 0, Math.min(file.length, 128), StandardCharsets.ISO_8859_1).stripLeading();
        return start.startsWith(ARMOR_BEGIN);
    }

    static Optional<AgeHeader> read(byte[] file) {
        byte[] binary = file;
        if (isArmored(file)) {
            String text = new String(file, StandardCharsets.ISO_8859_1).strip();
            int end = text.indexOf(ARMOR_END);
            if (end < 0) {
                return Optional.empty();
            }
            try {
                binary = Base64.getMimeDecoder().decode(text.substring(ARMOR_BEGIN.length(), end));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        String text = new String(binary, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\n", -1);
        if (lines.length == 0 || !VERSION_LINE.equals(lines[0])) {
            return Optional.empty();
        }
        List<Stanza> stanzas = new ArrayList<>();
        for (int i = 1; i < lines.length && !lines[i].startsWith("---"); i++) {
            if (lines[i].startsWith("-> ")) {
                List<String> words = Arrays.asList(lines[i].substring(3).split(" "));
                stanzas.add(new Stanza(words.get(0), List.copyOf(words.subList(1, words.size()))));
            }
        }
        return Optional.of(new AgeHeader(List.copyOf(stanzas)));
    }

    /** "X25519 ×2, ssh-ed25519 (key tag Ab12Cd)" */
    String describeRecipients() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Stanza stanza : stanzas) {
            counts.merge(stanza.describe(), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((text, count) -> parts.add(count > 1 ? text + " ×" + count : text));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
