package org.gitopssync.secrets.sops;

import com.exceptionfactory.jagged.framework.armor.ArmoredEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test-only sops encryptor: writes YAML files the way sops encrypts them (AES-256-GCM per value with the key
 * path as AAD, SHA-512 MAC, key groups with Shamir shares) for the cases the shared fixtures do not cover.
 */
final class SopsTestWriter {

    /** A plaintext value: its sops type, the text sops encrypts, and the text the MAC hashes. */
    record Typed(String type, String plaintext, String macText) {
        static Typed str(String value) {
            return new Typed("str", value, value);
        }

        static Typed integer(long value) {
            return new Typed("int", Long.toString(value), Long.toString(value));
        }

        static Typed bool(boolean value) {
            return new Typed("bool", Boolean.toString(value), value ? "True" : "False");
        }

        static Typed decimal(String goText) {
            return new Typed("float", goText, goText);
        }

        static Typed time(String rfc3339) {
            return new Typed("time", rfc3339, rfc3339);
        }
    }

    /** One wrapped copy of a key-group part: the metadata list it goes in and its fields (with enc). */
    interface MasterKeySpec {
        String type();

        Map<String, String> fields(byte[] part);
    }

    private record Entry(String key, Object value, boolean encrypt) {
    }

    private record Note(String text, boolean encrypt) {
    }

    private final byte[] dataKey;
    private final SecureRandom random = new SecureRandom();
    private final List<Map<String, Object>> documents = new ArrayList<>();
    private final List<List<MasterKeySpec>> keyGroups = new ArrayList<>();
    private String ruleField;
    private String ruleValue;
    private boolean macOnlyEncrypted;
    private int threshold;
    private String lastModified = "2025-03-04T05:06:07Z";
    private MessageDigest mac;

    SopsTestWriter(byte[] dataKey) {
        this.dataKey = dataKey.clone();
        documents.add(new LinkedHashMap<>());
    }

    SopsTestWriter newDocument() {
        documents.add(new LinkedHashMap<>());
        return this;
    }

    /** A value at a slash path ("db/password"); a List value becomes a YAML sequence. */
    SopsTestWriter put(String path, Object value, boolean encrypt) {
        Map<String, Object> map = mapFor(path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "");
        String key = path.substring(path.lastIndexOf('/') + 1);
        map.put(key, new Entry(key, value instanceof String text ? Typed.str(text) : value, encrypt));
        return this;
    }

    /** A comment line inside the mapping at {@code mapPath} ("" for the top level). */
    SopsTestWriter comment(String mapPath, String text, boolean encrypt) {
        Map<String, Object> map = mapFor(mapPath);
        map.put("#" + map.size(), new Note(text, encrypt));
        return this;
    }

    SopsTestWriter rule(String field, String value) {
        this.ruleField = field;
        this.ruleValue = value;
        return this;
    }

    SopsTestWriter macOnlyEncrypted() {
        this.macOnlyEncrypted = true;
        return this;
    }

    SopsTestWriter lastModified(String rfc3339) {
        this.lastModified = rfc3339;
        return this;
    }

    SopsTestWriter keyGroup(MasterKeySpec... keys) {
        keyGroups.add(List.of(keys));
        return this;
    }

    SopsTestWriter shamirThreshold(int threshold) {
        this.threshold = threshold;
        return this;
    }

    static MasterKeySpec age(String recipient) {
        return new MasterKeySpec() {
            public String type() {
                return "age";
            }

            public Map<String, String> fields(byte[] part) {
                return Map.of("recipient", recipient, "enc", ageArmor(recipient, part));
            }
        };
    }

    static MasterKeySpec vault(String address, String enginePath, String keyName, Function<byte[], String> transitEncrypt) {
        return new MasterKeySpec() {
            public String type() {
                return "hc_vault";
            }

            public Map<String, String> fields(byte[] part) {
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("vault_address", address);
                fields.put("engine_path", enginePath);
                fields.put("key_name", keyName);
                fields.put("created_at", "2025-03-04T05:06:07Z");
                fields.put("enc", transitEncrypt.apply(part));
                return fields;
            }
        };
    }

    static MasterKeySpec other(String type, Map<String, String> fields) {
        return new MasterKeySpec() {
            public String type() {
                return type;
            }

            public Map<String, String> fields(byte[] part) {
                return fields;
            }
        };
    }

    byte[] toYaml() {
        mac = sha512();
        if (macOnlyEncrypted) {
            mac.update(sha256("sops"));
        }
        List<String> bodies = new ArrayList<>();
        for (Map<String, Object> document : documents) {
            StringBuilder out = new StringBuilder();
            writeMap(out, document, 0, "");
            bodies.add(out.toString());
        }
        String metadata = metadata(HexFormat.of().withUpperCase().formatHex(mac.digest()));
        return String.join("---\n", bodies.stream().map(body -> body + metadata).toList()).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private void writeMap(StringBuilder out, Map<String, Object> map, int indent, String path) {
        String pad = " ".repeat(indent);
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object item = e.getValue();
            if (item instanceof Note note) {
                out.append(pad).append('#')
                        .append(note.encrypt() ? encrypt(new Typed("comment", note.text(), ""), aad(path)) : note.text())
                        .append('\n');
            } else if (item instanceof Map<?, ?> child) {
                out.append(pad).append(e.getKey()).append(":\n");
                writeMap(out, (Map<String, Object>) child, indent + 4, join(path, e.getKey()));
            } else {
                Entry entry = (Entry) item;
                String childPath = join(path, entry.key());
                if (entry.value() instanceof List<?> list) {
                    out.append(pad).append(entry.key()).append(":\n");
                    for (Object element : list) {
                        out.append(pad).append("    - ").append(leaf((Typed) element, entry.encrypt(), childPath)).append('\n');
                    }
                } else {
                    out.append(pad).append(entry.key()).append(": ").append(leaf((Typed) entry.value(), entry.encrypt(), childPath))
                            .append('\n');
                }
            }
        }
    }

    private String leaf(Typed value, boolean encrypt, String path) {
        if (!macOnlyEncrypted || encrypt) {
            mac.update(value.macText().getBytes(StandardCharsets.UTF_8));
        }
        if (value.plaintext().isEmpty()) {
            return "\"\"";
        }
        return encrypt ? encrypt(value, aad(path)) : value.plaintext();
    }

    private String metadata(String macHex) {
        StringBuilder out = new StringBuilder("sops:\n");
        if (keyGroups.size() == 1) {
            writeKeys(out, keyGroups.get(0), dataKey, "    ");
        } else {
            out.append("    key_groups:\n");
            List<byte[]> shares = split(dataKey, keyGroups.size(), threshold);
            for (int i = 0; i < keyGroups.size(); i++) {
                StringBuilder group = new StringBuilder();
                writeKeys(group, keyGroups.get(i), shares.get(i), "          ");
                out.append("        - ").append(group.substring(10));
            }
            out.append("    shamir_threshold: ").append(threshold).append('\n');
        }
        out.append("    lastmodified: \"").append(lastModified).append("\"\n");
        out.append("    mac: ").append(encrypt(Typed.str(macHex), lastModified)).append('\n');
        if (ruleField != null) {
            out.append("    ").append(ruleField).append(": '").append(ruleValue.replace("'", "''")).append("'\n");
        }
        if (macOnlyEncrypted) {
            out.append("    mac_only_encrypted: true\n");
        }
        return out.append("    version: 3.10.2\n").toString();
    }

    private static void writeKeys(StringBuilder out, List<MasterKeySpec> keys, byte[] part, String pad) {
        Map<String, List<Map<String, String>>> byType = new LinkedHashMap<>();
        for (MasterKeySpec key : keys) {
            byType.computeIfAbsent(key.type(), t -> new ArrayList<>()).add(key.fields(part));
        }
        byType.forEach((type, entries) -> {
            out.append(pad).append(type).append(":\n");
            for (Map<String, String> fields : entries) {
                boolean first = true;
                for (Map.Entry<String, String> field : fields.entrySet()) {
                    out.append(pad).append(first ? "    - " : "      ").append(field.getKey()).append(':');
                    if (field.getValue().contains("\n")) {
                        out.append(" |\n");
                        field.getValue().lines().forEach(line -> out.append(pad).append("        ").append(line).append('\n'));
                    } else {
                        out.append(" \"").append(field.getValue()).append("\"\n");
                    }
                    first = false;
                }
            }
        });
    }

    private String encrypt(Typed value, String aad) {
        try {
            byte[] iv = new byte[32];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(value.plaintext().getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return "ENC[AES256_GCM,data:" + b64.encodeToString(java.util.Arrays.copyOf(sealed, sealed.length - 16))
                    + ",iv:" + b64.encodeToString(iv)
                    + ",tag:" + b64.encodeToString(java.util.Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length))
                    + ",type:" + value.type() + "]";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Shamir split over GF(2^8) (0x11B), x coordinates 1..n appended to each share, as sops does. */
    static List<byte[]> split(byte[] secret, int shares, int threshold) {
        SecureRandom random = new SecureRandom();
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < shares; i++) {
            out.add(new byte[secret.length + 1]);
            out.get(i)[secret.length] = (byte) (i + 1);
        }
        for (int index = 0; index < secret.length; index++) {
            int[] coefficients = new int[threshold];
            coefficients[0] = secret[index] & 0xff;
            for (int c = 1; c < threshold; c++) {
                coefficients[c] = random.nextInt(256);
            }
            for (int i = 0; i < shares; i++) {
                int x = i + 1;
                int y = 0;
                for (int c = threshold - 1; c >= 0; c--) {
                    y = gfMultiply(y, x) ^ coefficients[c];
                }
                out.get(i)[index] = (byte) y;
            }
        }
        return out;
    }

    private static int gfMultiply(int a, int b) {
        int result = 0;
        for (int bit = 7; bit >= 0; bit--) {
            result = (result << 1) ^ ((result & 0x80) != 0 ? 0x11b : 0);
            result &= 0x1ff;
            if (((b >> bit) & 1) != 0) {
                result ^= a;
            }
        }
        return result & 0xff;
    }

    static String ageArmor(String recipient, byte[] part) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (WritableByteChannel channel = new ArmoredEncryptingChannelFactory().newEncryptingChannel(
                    Channels.newChannel(out), List.of(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient)))) {
                channel.write(ByteBuffer.wrap(part));
            }
            return out.toString(StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> mapFor(String path) {
        Map<String, Object> map = documents.get(documents.size() - 1);
        if (path.isEmpty()) {
            return map;
        }
        for (String key : path.split("/")) {
            map = (Map<String, Object>) map.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
        }
        return map;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + ":" + key;
    }

    private static String aad(String path) {
        return path + ":";
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
