package org.gitopssync.secrets.sops;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.gitopssync.secrets.SecretsException;

/** sops's binary store: a JSON envelope whose single {@code data} string is the whole file. */
final class BinaryStore extends JsonStore {

    @Override
    public byte[] emit(List<SopsBranch> branches) {
        Object data = branches.get(0).find("data").map(KeyValue::value)
                .orElseThrow(() -> new SecretsException("binary sops file has no data entry"));
        if (data instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (data instanceof byte[] bytes) {
            return bytes.clone();
        }
        throw new SecretsException("the data entry of a binary sops file is not a string");
    }

    @Override
    public byte[] emitValue(Object value) {
        throw new SecretsException("binary files are not structured; a single value cannot be extracted");
    }
}
