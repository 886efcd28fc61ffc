package org.gitopssync.secrets.sops;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** sops's YAML store: multi-document, ordered, YAML 1.2 scalars as go-yaml v3 reads them, comments kept. */
final class YamlStore implements SopsStore {

    @Override
    public Loaded load(String fileName, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        List<SopsBranch> documents = PlainBlockReader.read(fileName, text)
                .orElseGet(() -> new YamlTreeReader(fileName).read(text));
        return MetadataExtraction.nested(fileName, documents);
    }

    @Override
    public byte[] emit(List<SopsBranch> branches) {
        return YamlEmitter.emitDocuments(branches).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] emitValue(Object value) {
        return YamlEmitter.emitValue(value).getBytes(StandardCharsets.UTF_8);
    }
}
