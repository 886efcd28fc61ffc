package org.gitopssync.secrets.install;

import org.gitopssync.secrets.sops.SopsFormat;

/** Where one secret's value comes from. {@link #describe()} is safe to print: it names files and keys only. */
sealed interface SecretSource {

    String describe();

    /** A string value at a sops-nix style {@code a/b} key of a YAML or JSON sops file. */
    record SopsValue(String file, SopsFormat format, String key) implements SecretSource {
        @Override
        public String describe() {
            return "sops " + file + " key " + key;
        }
    }

    /** A whole sops file, exactly as {@code sops -d} prints it. */
    record SopsDocument(String file, SopsFormat format) implements SecretSource {
        @Override
        public String describe() {
            return "sops " + file + " (whole file)";
        }
    }

    /** An age file, agenix style (binary or armored). */
    record AgeFile(String file) implements SecretSource {
        @Override
        public String describe() {
            return "age " + file;
        }
    }

    /** One field of a Vault KV secret; {@code path} starts with the mount ({@code secret/app/db}). */
    record VaultField(String path, String field) implements SecretSource {
        @Override
        public String describe() {
            return "vault " + path + "#" + field;
        }
    }
}
