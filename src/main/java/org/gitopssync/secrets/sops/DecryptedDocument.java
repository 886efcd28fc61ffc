package org.gitopssync.secrets.sops;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.gitopssync.secrets.SecretsException;

/** The decrypted content of a sops file. Holds secrets in memory: never log it (toString is redacted). */
public final class DecryptedDocument {

    private final String fileName;
    private final SopsFormat format;
    private final SopsStore store;
    private final List<SopsBranch> branches;
    private final List<SopsLeaf> leaves;
    private final String mac;

    DecryptedDocument(String fileName, SopsFormat format, SopsStore store, List<SopsBranch> branches,
            List<SopsLeaf> leaves, String mac) {
        this.fileName = fileName;
        this.format = format;
        this.store = store;
        this.branches = List.copyOf(branches);
        this.leaves = List.copyOf(leaves);
        this.mac = mac;
    }

    public String fileName() {
        return fileName;
    }

    public SopsFormat format() {
        return format;
    }

    /** Exactly what {@code sops -d} prints for this file and format (binary: the raw bytes). */
    public byte[] render() {
        return store.emit(branches);
    }

    /**
     * Like {@code sops -d --extract '["a"]["b"]'}: a string leaf as its raw text, a mapping rendered as a
     * document, anything else rendered as a single value in the file's format.
     */
    public byte[] extract(String sopsPath) {
        Object value = SopsPath.parse(bracketed(sopsPath)).resolve(fileName, branches.get(0));
        if (value instanceof SopsBranch branch) {
            return store.emit(List.of(branch));
        }
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        return store.emitValue(value);
    }

    /** {@code db/password} (a manifest key) as sops writes it, {@code ["db"]["password"]}; the sops form as it is. */
    static String bracketed(String path) {
        if (path.startsWith("[")) {
            return path;
        }
        StringBuilder out = new StringBuilder();
        for (String key : path.split("/", -1)) {
            out.append("[\"").append(key.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
        }
        return out.toString();
    }

    /** A sops-nix style key such as {@code nested/test/file}: must name a string leaf. */
    public String value(String slashPath) {
        Object current = branches.get(0);
        for (String key : slashPath.split("/", -1)) {
            if (!(current instanceof SopsBranch branch)) {
                throw new SecretsException(fileName + ": key '" + slashPath + "' not found (" + key + " is not inside a mapping)");
            }
            current = branch.find(key)
                    .orElseThrow(() -> new SecretsException(fileName + ": key '" + slashPath + "' not found"))
                    .value();
        }
        if (current instanceof String text) {
            return text;
        }
        String kind = current instanceof SopsBranch ? "a mapping" : current instanceof List ? "a list"
                : current == null ? "null" : "a " + GoValues.typeName(current);
        throw new SecretsException(fileName + ": the value of key '" + slashPath + "' is " + kind + ", not a string");
    }

    /** Every non-null leaf in MAC order (all documents), with its key path and whether it was encrypted. */
    public List<SopsLeaf> leaves() {
        return leaves;
    }

    /** The MAC computed over the leaves (upper-case hex SHA-512), which matched the file's own. */
    public String computedMac() {
        return mac;
    }

    @Override
    public String toString() {
        return "DecryptedDocument[" + fileName + ", " + format + ", " + leaves.size() + " leaves]";
    }
}
