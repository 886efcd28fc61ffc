package org.gitopssync.secrets.install;

import java.util.Optional;

/** Validates the names of secrets and templates: relative paths that stay inside their generation. */
final class SecretName {

    /** Reserved inside every generation for the list of {@code path} links. */
    static final String LINKS_FILE = ".links";
    /** Reserved inside every generation for the hash of the manifest it was written for. */
    static final String FINGERPRINT_FILE = ".manifest-sha256";

    private SecretName() {
    }

    /** Why {@code name} is refused, or empty when it is fine. */
    static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("the name is empty");
        }
        if (name.startsWith("/")) {
            return Optional.of("absolute names are not allowed (a name is a path below the secrets root)");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("control characters are not allowed in names");
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty()) {
                return Optional.of("empty path components (\"//\" or a trailing \"/\") are not allowed");
            }
            if (part.equals("..") || part.equals(".")) {
                return Optional.of("\"" + part + "\" components are not allowed");
            }
            if (part.length() > 255) {
                return Optional.of("a path component is longer than 255 characters");
            }
        }
        if (name.equals(LINKS_FILE) || name.equals(FINGERPRINT_FILE)) {
            return Optional.of("\"" + name + "\" is reserved");
        }
        return Optional.empty();
    }
}
