package org.gitopssync.secrets.install;

import java.util.Optional;
import java.util.function.Function;

/** The files of the commit being deployed, read from git objects (never from a work tree). */
public interface CommitFiles {

    /** The commit id, for messages. */
    String commit();

    /** A file's bytes at that commit, or empty when it has no such file. */
    Optional<byte[]> read(String path);

    static CommitFiles of(String commit, Function<String, Optional<byte[]>> reader) {
        return new CommitFiles() {
            @Override
            public String commit() {
                return commit;
            }

            @Override
            public Optional<byte[]> read(String path) {
                return reader.apply(path);
            }
        };
    }
}
