package org.gitopssync.secrets.sops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;
import org.gitopssync.secrets.SecretsException;

/** Reads the {@code sops} metadata block (nested, or flattened as in dotenv and INI) into {@link SopsMetadata}. */
final class MetadataReader {

    private static final List<String> KEY_TYPES = List.of("kms", "gcp_kms", "hckms", "azure_kv", "hc_vault", "pgp", "age");
    private static final String MAP_SEPARATOR = "__map_";
    private static final String LIST_SEPARATOR = "__list_";

    private final String fileName;

    MetadataReader(String fileName) {
        this.fileName = fileName;
    }

    SopsMetadata read(SopsBranch sops) {
        List<SopsKeyGroup> groups = keyGroups(sops);
        GoTime lastModified = GoTime.parseRfc3339(string(sops, "lastmodified"))
                .orElseThrow(() -> error("lastmodified is missing or not an RFC 3339 time"));
        return new SopsMetadata(groups, integer(sops, "shamir_threshold"), lastModified, string(sops, "mac"),
                cryptRule(sops), bool(sops, "mac_only_encrypted"), string(sops, "version"));
    }

    /** Rebuilds the nested metadata from flattened keys such as {@code age__list_0__map_enc}. */
    SopsBranch unflatten(List<KeyValue> flat, boolean unescapeNewlines) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (KeyValue pair : flat) {
            Object value = pair.value();
            if (unescapeNewlines && value instanceof String text) {
                value = text.replace("\\n", "\n");
            }
            List<Object> tokens = tokenize(pair.key());
            if (tokens.size() > SopsLimits.MAX_DEPTH) {
                throw SopsLimits.tooDeep(fileName, " in the flattened sops metadata key " + pair.key().substring(0,
                        Math.min(40, pair.key().length())) + "...");
            }
            place(root, tokens, value);
        }
        return (SopsBranch) toTree(root);
    }

    private List<SopsKeyGroup> keyGroups(SopsBranch sops) {
        List<SopsMasterKey> topLevel = keysOf(sops);
        List<Object> listed = list(sops, "key_groups");
        if (!topLevel.isEmpty()) {
            return List.of(new SopsKeyGroup(topLevel));
        }
        List<SopsKeyGroup> groups = new ArrayList<>();
        for (Object group : listed) {
            if (!(group instanceof SopsBranch branch)) {
                throw error("key_groups entries must be mappings");
            }
            groups.add(new SopsKeyGroup(keysOf(branch)));
        }
        if (groups.isEmpty()) {
            throw error("no keys found in sops metadata");
        }
        return groups;
    }

    private List<SopsMasterKey> keysOf(SopsBranch group) {
        List<SopsMasterKey> keys = new ArrayList<>();
        for (String type : KEY_TYPES) {
            for (Object entry : list(group, type)) {
                if (!(entry instanceof SopsBranch branch)) {
                    throw error(type + " entries must be mappings");
                }
                Map<String, String> attributes = new LinkedHashMap<>();
                for (KeyValue pair : branch.pairs()) {
                    if (!pair.key().equals("enc") && pair.value() != null && !(pair.value() instanceof SopsBranch)) {
                        attributes.put(pair.key(), text(pair.value()));
                    }
                }
                keys.add(new SopsMasterKey(type, identifier(type, attributes), string(branch, "enc"), attributes));
            }
        }
        return keys;
    }

    private static String identifier(String type, Map<String, String> a) {
        return switch (type) {
            case "age" -> a.getOrDefault("recipient", "");
            case "pgp" -> a.getOrDefault("fp", "");
            case "kms" -> a.getOrDefault("arn", "");
            case "gcp_kms" -> a.getOrDefault("resource_id", "");
            case "hckms" -> a.getOrDefault("key_id", "");
            case "azure_kv" -> a.getOrDefault("vault_url", "") + "/keys/" + a.getOrDefault("name", "")
                    + "/" + a.getOrDefault("version", "");
            case "hc_vault" -> stripSlash(a.getOrDefault("vault_address", "")) + "/v1/"
                    + a.getOrDefault("engine_path", "") + "/keys/" + a.getOrDefault("key_name", "");
            default -> "";
        };
    }

    private static String stripSlash(String address) {
        return address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    }

    private CryptRule cryptRule(SopsBranch sops) {
        CryptRule rule = null;
        for (CryptRule.Kind kind : CryptRule.Kind.values()) {
            String value = string(sops, kind.field);
            if (!value.isEmpty()) {
                if (rule != null) {
                    throw error("more than one of " + rule.kind().field + " and " + kind.field + " is set");
                }
                try {
                    rule = CryptRule.of(kind, value);
                } catch (PatternSyntaxException e) {
                    throw error(kind.field + " is not a valid regular expression");
                }
            }
        }
        return rule == null ? CryptRule.DEFAULT : rule;
    }

    private List<Object> list(SopsBranch branch, String key) {
        Object value = branch.find(key).map(KeyValue::value).orElse(null);
        if (value == null || "".equals(value)) {
            return List.of();
        }
        if (value instanceof List<?> items) {
            return items.stream().filter(item -> !(item instanceof Comment)).map(item -> (Object) item).toList();
        }
        throw error(key + " must be a list");
    }

    /** A string field; sops reads these into Go strings, so a boolean or a mapping is an error, not "true". */
    private String string(SopsBranch branch, String key) {
        Object value = branch.find(key).map(KeyValue::value).orElse(null);
        boolean time = value instanceof GoTime && key.equals("lastmodified");
        // An unquoted version such as 3.8 reads as a YAML float.
        boolean number = (value instanceof Long || value instanceof Double) && key.equals("version");
        if (value != null && !(value instanceof String) && !time && !number) {
            throw error(key + " must be a string, got " + describe(value));
        }
        return text(value);
    }

    private String describe(Object value) {
        if (value instanceof SopsBranch) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list";
        }
        return "a " + GoValues.typeName(value) + " value";
    }

    private int integer(SopsBranch branch, String key) {
        Object raw = branch.find(key).map(KeyValue::value).orElse(null);
        if (raw instanceof Long number) {
            if (number < 0 || number > 255) {
                throw error(key + " must be from 0 to 255, got " + number);
            }
            return number.intValue();
        }
        if (raw != null && !(raw instanceof String)) {
            throw error(key + " must be an integer, got " + describe(raw));
        }
        String value = string(branch, key);
        if (value.isEmpty()) {
            return 0;
        }
        return GoNumbers.atoi(value).map(Long::intValue).orElseThrow(() -> error(key + " is not an integer"));
    }

    private boolean bool(SopsBranch branch, String key) {
        Object raw = branch.find(key).map(KeyValue::value).orElse(null);
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw != null && !(raw instanceof String)) {
            throw error(key + " must be true or false, got " + describe(raw));
        }
        String value = string(branch, key);
        return !value.isEmpty() && GoNumbers.parseBool(value).orElseThrow(() -> error(key + " is not a boolean"));
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof GoTime time) {
            return time.rfc3339Nano();
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Double d) {
            return GoNumbers.formatF(d);
        }
        return value.toString();
    }

    private SecretsException error(String message) {
        return new SecretsException(fileName + ": sops metadata: " + message);
    }

    private List<Object> tokenize(String key) {
        List<Object> tokens = new ArrayList<>();
        int start = 0;
        String pending = null;
        int i = 0;
        while (i <= key.length()) {
            boolean atMap = key.startsWith(MAP_SEPARATOR, i);
            boolean atList = key.startsWith(LIST_SEPARATOR, i);
            if (atMap || atList || i == key.length()) {
                String text = key.substring(start, i);
                tokens.add("list".equals(pending) ? (Object) Integer.valueOf(parseIndex(text)) : text);
                if (i == key.length()) {
                    break;
                }
                pending = atMap ? "map" : "list";
                i += atMap ? MAP_SEPARATOR.length() : LIST_SEPARATOR.length();
                start = i;
            } else {
                i++;
            }
        }
        return tokens;
    }

    private int parseIndex(String text) {
        return GoNumbers.atoi(text).filter(i -> i >= 0 && i < SopsLimits.MAX_NODES).map(Long::intValue)
                .orElseThrow(() -> error("flattened list index \"" + text + "\" is not a small number"));
    }

    @SuppressWarnings("unchecked")
    private void place(Map<String, Object> root, List<Object> tokens, Object value) {
        Object node = root;
        for (int i = 0; i < tokens.size(); i++) {
            boolean last = i == tokens.size() - 1;
            Object token = tokens.get(i);
            Map<Object, Object> container = (Map<Object, Object>) node;
            if (last) {
                if (container.containsKey(token)) {
                    throw error("duplicate flattened key");
                }
                container.put(token, Optional.ofNullable(value));
            } else {
                Object child = container.computeIfAbsent(token, t -> new LinkedHashMap<>());
                if (!(child instanceof Map)) {
                    throw error("flattened keys mix values and nested entries");
                }
                node = child;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Object toTree(Object node) {
        if (node instanceof Optional<?> leaf) {
            return leaf.orElse(null);
        }
        Map<Object, Object> map = (Map<Object, Object>) node;
        boolean isList = !map.isEmpty() && map.keySet().stream().allMatch(k -> k instanceof Integer);
        if (isList) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < map.size(); i++) {
                if (!map.containsKey(i)) {
                    throw error("incomplete flattened list");
                }
                items.add(toTree(map.get(i)));
            }
            return items;
        }
        SopsBranch branch = new SopsBranch();
        for (Map.Entry<Object, Object> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw error("flattened keys mix list indexes and names");
            }
            branch.add(new KeyValue(key, toTree(entry.getValue())));
        }
        return branch;
    }
}
