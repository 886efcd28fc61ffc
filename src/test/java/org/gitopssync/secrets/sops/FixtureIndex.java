package org.gitopssync.secrets.sops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.gitopssync.secrets.Fixtures;

/** The entries of fixtures/index.json: each sops file with its data key, MAC and leaves. */
record FixtureIndex(String file, String format, List<String> decryptWith, byte[] dataKey, String lastModified,
        String mac, boolean macVerifies, List<ExpectedLeaf> leaves) {

    /** A leaf as index.json lists it, with the value as the MAC text Go would produce. */
    record ExpectedLeaf(String aad, String value, String type, boolean inMac) {
    }

    static List<FixtureIndex> all() {
        try {
            JsonNode root = new ObjectMapper().readTree(Fixtures.bytes("index.json"));
            List<FixtureIndex> entries = new ArrayList<>();
            for (JsonNode entry : root) {
                List<ExpectedLeaf> leaves = new ArrayList<>();
                for (JsonNode leaf : entry.get("leaves_in_mac_order")) {
                    leaves.add(new ExpectedLeaf(leaf.get("aad").asText(), macText(leaf.get("value"), leaf.get("type").asText()),
                            leaf.get("type").asText(), leaf.get("in_mac").asBoolean()));
                }
                List<String> keys = new ArrayList<>();
                entry.get("decrypt_with").forEach(key -> keys.add(key.asText()));
                entries.add(new FixtureIndex(entry.get("file").asText(), entry.get("format").asText(), keys,
                        HexFormat.of().parseHex(entry.get("data_key_hex").asText()), entry.get("lastmodified").asText(),
                        entry.get("computed_mac").asText(), entry.get("mac_verifies").asBoolean(), leaves));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FixtureIndex of(String file) {
        return all().stream().filter(entry -> entry.file().equals(file)).findFirst().orElseThrow();
    }

    SopsFormat sopsFormat() {
        return SopsFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    }

    boolean hasAgeKey() {
        return decryptWith.stream().anyMatch(key -> key.startsWith("keys/age/"));
    }

    private static String macText(JsonNode value, String type) {
        return switch (type) {
            case "bool" -> value.asBoolean() ? "True" : "False";
            case "float" -> GoNumbers.formatF(value.asDouble());
            default -> value.asText();
        };
    }

    @Override
    public String toString() {
        return file;
    }
}
