package org.gitopssync.secrets.sops;

import java.util.ArrayList;
import java.util.List;
import org.gitopssync.secrets.SecretsException;

/** Takes the {@code sops} entry out of the loaded documents, as each store lays it out. */
final class MetadataExtraction {

    static final String KEY = "sops";
    private static final String PREFIX = KEY + "_";

    private MetadataExtraction() {
    }

    /** YAML, JSON, binary: a top-level {@code sops} mapping in the first document, removed from every document. */
    static SopsStore.Loaded nested(String fileName, List<SopsBranch> documents) {
        SopsBranch metadata = null;
        List<SopsBranch> stripped = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            SopsBranch document = new SopsBranch();
            for (BranchItem item : documents.get(i).items()) {
                if (item instanceof KeyValue pair && pair.key().equals(KEY)) {
                    if (i == 0) {
                        if (metadata != null) {
                            throw new SecretsException(fileName + ": duplicate sops metadata entry");
                        }
                        if (!(pair.value() instanceof SopsBranch branch)) {
                            throw new SecretsException(fileName + ": the sops metadata entry is not a mapping");
                        }
                        metadata = branch;
                    }
                    continue;
                }
                document.add(item);
            }
            stripped.add(document);
        }
        return new SopsStore.Loaded(stripped, require(fileName, metadata));
    }

    /** dotenv: {@code sops_...} keys of the (only) document, flattened. */
    static SopsStore.Loaded prefixed(String fileName, SopsBranch document) {
        List<KeyValue> flat = new ArrayList<>();
        SopsBranch rest = new SopsBranch();
        for (BranchItem item : document.items()) {
            if (item instanceof KeyValue pair && pair.key().startsWith(PREFIX)) {
                flat.add(new KeyValue(pair.key().substring(PREFIX.length()), pair.value()));
            } else {
                rest.add(item);
            }
        }
        SopsBranch metadata = flat.isEmpty() ? null : new MetadataReader(fileName).unflatten(flat, false);
        return new SopsStore.Loaded(List.of(rest), require(fileName, metadata));
    }

    /** INI: a {@code [sops]} section of flattened keys whose values escape newlines as {@code \n}. */
    static SopsStore.Loaded section(String fileName, SopsBranch document) {
        SopsBranch metadata = null;
        SopsBranch rest = new SopsBranch();
        for (BranchItem item : document.items()) {
            if (item instanceof KeyValue pair && pair.key().equals(KEY) && pair.value() instanceof SopsBranch section) {
                if (metadata != null) {
                    throw new SecretsException(fileName + ": duplicate [sops] section");
                }
                metadata = new MetadataReader(fileName).unflatten(section.pairs(), true);
            } else {
                rest.add(item);
            }
        }
        return new SopsStore.Loaded(List.of(rest), require(fileName, metadata));
    }

    private static SopsBranch require(String fileName, SopsBranch metadata) {
        if (metadata == null) {
            throw new SecretsException(fileName + ": no sops metadata found (not a sops-encrypted file?)");
        }
        return metadata;
    }
}
