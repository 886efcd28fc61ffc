package org.gitopssync.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads {@code nix flake metadata --json}: whether every input of the flake is pinned by its
 * committed {@code flake.lock}. Nix already refuses to run when the lock file would have to
 * change; this also refuses a lock node that pins neither a revision nor a content hash.
 */
final class FlakeLocks {

    private FlakeLocks() {
    }

    /** True when {@code metadataJson} shows a lock graph whose every input has a locked rev or narHash. */
    static boolean fullyLocked(String metadataJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(metadataJson);
        } catch (IOException e) {
            return false;
        }
        JsonNode locks = root.path("locks");
        JsonNode nodes = locks.path("nodes");
        String rootName = locks.path("root").asText("");
        if (!nodes.isObject() || rootName.isEmpty() || !nodes.has(rootName)) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = nodes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> node = it.next();
            if (node.getKey().equals(rootName)) {
                continue;
            }
            JsonNode locked = node.getValue().path("locked");
            if (locked.path("narHash").asText("").isEmpty() && locked.path("rev").asText("").isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
