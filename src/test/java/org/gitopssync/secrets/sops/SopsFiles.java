package org.gitopssync.secrets.sops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test-scope sops encryption for other packages' tests, the demo secret and the benchmark data: YAML files with
 * string values (through {@link SopsTestWriter}) and binary files, each encrypted to one age recipient.
 * Run as a program it writes files (see {@link #main}).
 */
public final class SopsFiles {

    private static final String LAST_MODIFIED = "2025-03-04T05:06:07Z";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SopsFiles() {
    }

    /** A sops YAML file holding {@code values} (keys are slash paths such as {@code db/password}), all encrypted. */
    public static byte[] yaml(Map<String, String> values, String ageRecipient) {
        return yaml(values, ageRecipient, null);
    }

    /** Like {@link #yaml(Map, String)}, with a plain (unencrypted) comment line at the top. */
    public static byte[] yaml(Map<String, String> values, String ageRecipient, String topComment) {
        SopsTestWriter writer = new SopsTestWriter(newDataKey());
        if (topComment != null) {
            topComment.lines().forEach(line -> writer.comment("", " " + line, false));
        }
        values.forEach((path, value) -> writer.put(path, value, true));
        return writer.keyGroup(SopsTestWriter.age(ageRecipient)).toYaml();
    }

    /** A sops YAML file whose data key is wrapped only by a Vault transit key ({@code hc_vault}). */
    public static byte[] yamlForVault(Map<String, String> values, String vaultAddress, String enginePath, String keyName,
            java.util.function.Function<byte[], String> transitEncrypt) {
        SopsTestWriter writer = new SopsTestWriter(newDataKey());
        values.forEach((path, value) -> writer.put(path, value, true));
        return writer.keyGroup(SopsTestWriter.vault(vaultAddress, enginePath, keyName, transitEncrypt)).toYaml();
    }

    /** A sops binary file (the JSON envelope) whose plaintext is exactly {@code content}. */
    public static byte[] binary(byte[] content, String ageRecipient) {
        byte[] dataKey = newDataKey();
        try {
            String mac = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(content));
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = json.createObjectNode();
            root.put("data", encrypt(dataKey, content, "data:", "str"));
            ObjectNode sops = root.putObject("sops");
            ObjectNode age = sops.putArray("age").addObject();
            age.put("recipient", ageRecipient);
            age.put("enc", SopsTestWriter.ageArmor(ageRecipient, dataKey));
            sops.put("lastmodified", LAST_MODIFIED);
            sops.put("mac", encrypt(dataKey, mac.getBytes(StandardCharsets.US_ASCII), LAST_MODIFIED, "str"));
            sops.put("unencrypted_suffix", "_unencrypted");
            sops.put("version", "3.10.2");
            return (json.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code demo <recipient> <out>}: the demo secret; {@code bench-yaml <recipient> <leaves> <out>}: a YAML file
     * with that many random string leaves; {@code bench-binary <recipient> <bytes> <out>}: random binary content.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: demo|bench-yaml|bench-binary <recipient> [size] <out>");
        }
        String recipient = args[1];
        Path out = Path.of(args[args.length - 1]);
        byte[] file = switch (args[0]) {
            case "demo" -> demo(recipient);
            case "bench-yaml" -> benchYaml(recipient, Integer.parseInt(args[2]));
            case "bench-binary" -> {
                byte[] content = new byte[Integer.parseInt(args[2])];
                RANDOM.nextBytes(content);
                yield binary(content, recipient);
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        };
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, file);
    }

    /** The values of examples/demo-flake/secrets/demo.yaml. */
    public static Map<String, String> demoValues() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("api_token", "demo-token-4f1d9a7c2b8e6035");
        values.put("motd_signature", "-- signed with a secret from secrets/demo.yaml");
        values.put("database/password", "demo-db-password-9c27e1");
        return values;
    }

    static byte[] demo(String recipient) {
        return yaml(demoValues(), recipient, "DEMO ONLY: encrypted to secrets/DEMO-ONLY-age.key, which is public.\n"
                + "Never put a real secret in this file. Regenerate with secrets/make-demo-secret.sh.");
    }

    static byte[] benchYaml(String recipient, int leaves) {
        Map<String, String> values = new LinkedHashMap<>();
        int groups = Math.max(1, (int) Math.sqrt(leaves));
        for (int i = 0; i < leaves; i++) {
            byte[] random = new byte[18];
            RANDOM.nextBytes(random);
            values.put(String.format("group%03d/key%05d", i % groups, i), Base64.getEncoder().encodeToString(random));
        }
        return yaml(values, recipient);
    }

    private static byte[] newDataKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    private static String encrypt(byte[] dataKey, byte[] plaintext, String aad, String type) throws Exception {
        byte[] iv = new byte[32];
        RANDOM.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(plaintext);
        Base64.Encoder b64 = Base64.getEncoder();
        return "ENC[AES256_GCM,data:" + b64.encodeToString(java.util.Arrays.copyOf(sealed, sealed.length - 16))
                + ",iv:" + b64.encodeToString(iv)
                + ",tag:" + b64.encodeToString(java.util.Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length))
                + ",type:" + type + "]";
    }
}
