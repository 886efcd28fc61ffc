package org.gitopssync.secrets.sops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gitopssync.secrets.SecretsException;

/** A parsed sops-encrypted file: its still-encrypted tree and its metadata. Holds no secret in clear text. */
public final class SopsFile {

    private final String name;
    private final SopsFormat format;
    private final SopsStore store;
    private final List<SopsBranch> branches;
    private final SopsMetadata metadata;

    private SopsFile(String name, SopsFormat format, SopsStore store, List<SopsBranch> branches, SopsMetadata metadata) {
        this.name = name;
        this.format = format;
        this.store = store;
        this.branches = branches;
        this.metadata = metadata;
    }

    /** Reads a file, choosing the format from its extension. */
    public static SopsFile parse(Path path) {
        return parse(path, SopsFormat.forFileName(path.getFileName().toString()));
    }

    public static SopsFile parse(Path path, SopsFormat format) {
        try {
            return parse(path.toString(), Files.readAllBytes(path), format);
        } catch (IOException e) {
            throw new SecretsException("cannot read sops file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Parses file content; {@code name} identifies the file in error messages. */
    public static SopsFile parse(String name, byte[] content, SopsFormat format) {
        SopsLimits.checkSize(name, content);
        SopsStore store = SopsStore.forFormat(format);
        SopsStore.Loaded loaded = store.load(name, content);
        SopsMetadata metadata = new MetadataReader(name).read(loaded.metadata());
        return new SopsFile(name, format, store, List.copyOf(loaded.branches()), metadata);
    }

    public String name() {
        return name;
    }

    public SopsFormat format() {
        return format;
    }

    /** Every master key of every key group, in file order (for listing recipients). */
    public List<SopsMasterKey> masterKeys() {
        return metadata.keyGroups().stream().flatMap(group -> group.keys().stream()).toList();
    }

    SopsStore store() {
        return store;
    }

    List<SopsBranch> branches() {
        return branches;
    }

    SopsMetadata metadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return "SopsFile[" + name + ", " + format + "]";
    }
}
