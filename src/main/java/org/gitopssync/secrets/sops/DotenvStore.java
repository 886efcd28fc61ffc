package org.gitopssync.secrets.sops;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.gitopssync.secrets.SecretsException;

/** sops's dotenv store: {@code KEY=value} lines split at the first '=', nothing trimmed, {@code \n} escaped. */
final class DotenvStore implements SopsStore {

    @Override
    public Loaded load(String fileName, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        SopsBranch branch = new SopsBranch();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == '#') {
                branch.add(new Comment(line.substring(1), false));
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw new SecretsException(fileName + ": line " + (i + 1) + " is not KEY=value");
            }
            branch.add(new KeyValue(line.substring(0, equals), line.substring(equals + 1).replace("\\n", "\n")));
        }
        return MetadataExtraction.prefixed(fileName, branch);
    }

    @Override
    public byte[] emit(List<SopsBranch> branches) {
        StringBuilder out = new StringBuilder();
        for (BranchItem item : branches.get(0).items()) {
            if (item instanceof Comment comment) {
                out.append('#').append(comment.text()).append('\n');
                continue;
            }
            KeyValue pair = (KeyValue) item;
            if (pair.value() instanceof SopsBranch || pair.value() instanceof List) {
                throw new SecretsException("cannot use complex value in dotenv file; offending key " + pair.key());
            }
            String value = pair.value() instanceof String text
                    ? text.replace("\n", "\\n")
                    : GoValues.flatText(pair.value());
            out.append(pair.key()).append('=').append(value).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] emitValue(Object value) {
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        throw new SecretsException("the dotenv store only supports extracting strings");
    }
}
