package org.gitopssync.config;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code [repository.signatures]}: the keys whose signature a target commit must carry. With neither set, any
 * commit is accepted as before.
 */
public record SignatureSettings(Path sshAllowedSigners, List<Path> gpgPublicKeys) {

    public SignatureSettings {
        gpgPublicKeys = List.copyOf(gpgPublicKeys);
    }

    /** No signature required. */
    public static SignatureSettings none() {
        return new SignatureSettings(null, List.of());
    }

    /** Whether a target commit must be signed by one of the configured keys. */
    public boolean required() {
        return sshAllowedSigners != null || !gpgPublicKeys.isEmpty();
    }

    static SignatureSettings from(ConfigSection s) {
        Path ssh = s.path("ssh_allowed_signers", null);
        List<Path> gpg = s.strings("gpg_public_keys", List.of()).stream()
                .map(p -> {
                    if (p.isBlank()) {
                        throw s.error("gpg_public_keys", "an empty file name is not a key file");
                    }
                    return Path.of(p);
                })
                .toList();
        return new SignatureSettings(ssh, gpg);
    }
}
