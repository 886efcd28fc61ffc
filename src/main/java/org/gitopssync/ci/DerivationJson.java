package org.gitopssync.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code nix show-derivation} / {@code nix derivation show} JSON in all its shapes: keys
 * that are full store paths (before Nix 2.32) or base names (after), input derivations as a list
 * of outputs or as {@code { outputs, dynamicOutputs }}, optionally wrapped in {@code { derivations }}.
 */
final class DerivationJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DerivationJson() {
    }

    static Map<String, DerivationInfo> parse(String json, String storeDir) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new CiException("cannot parse nix's derivation JSON: " + e.getMessage(), e);
        }
        if (root.has("derivations") && root.get("derivations").isObject() && !looksLikeDrv(root)) {
            root = root.get("derivations");
        }
        Map<String, DerivationInfo> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String drv = absolute(e.getKey(), storeDir);
            JsonNode d = e.getValue();
            Map<String, String> outputs = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> o = d.path("outputs").fields(); o.hasNext(); ) {
                Map.Entry<String, JsonNode> output = o.next();
                JsonNode path = output.getValue().get("path");
                outputs.put(output.getKey(), path == null || path.isNull() ? null : absolute(path.asText(), storeDir));
            }
            Set<String> inputs = new HashSet<>();
            JsonNode inputDrvs = d.path("inputDrvs");
            if (inputDrvs.isObject()) {
                inputDrvs.fieldNames().forEachRemaining(k -> inputs.add(absolute(k, storeDir)));
            }
            out.put(drv, new DerivationInfo(drv, outputs, inputs));
        }
        return out;
    }

    private static boolean looksLikeDrv(JsonNode root) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            if (it.next().endsWith(".drv")) {
                return true;
            }
        }
        return false;
    }

    private static String absolute(String path, String storeDir) {
        return path.startsWith("/") ? path : storeDir + "/" + path;
    }

    /** {@code /nix/store} for {@code /nix/store/<hash>-x.drv}. */
    static String storeDirOf(String storePath) {
        int slash = storePath.lastIndexOf('/');
        return slash > 0 ? storePath.substring(0, slash) : "/nix/store";
    }
}
