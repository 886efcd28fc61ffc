package org.gitopssync.secrets.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.gitopssync.secrets.SecretsException;

/**
 * A file on persistent storage saying "the deployed commit has secrets". The secrets root is a tmpfs: after a
 * reboot it is empty while the branch is unchanged, and this is how the next cycle knows to install again.
 */
final class InstalledMarker {

    private final Optional<Path> file;

    InstalledMarker(Optional<Path> file) {
        this.file = file;
    }

    boolean present() {
        return file.isPresent() && Files.exists(file.get());
    }

    void set() {
        if (file.isPresent() && !Files.exists(file.get())) {
            try {
                Files.createDirectories(file.get().getParent());
                Files.writeString(file.get(), "the deployed commit installs secrets; see docs/secrets.md\n");
            } catch (IOException e) {
                throw new SecretsException("cannot write " + file.get() + ": " + e.getMessage(), e);
            }
        }
    }

    void clear() {
        if (file.isPresent()) {
            try {
                Files.deleteIfExists(file.get());
            } catch (IOException e) {
                throw new SecretsException("cannot remove " + file.get() + ": " + e.getMessage(), e);
            }
        }
    }
}
