package org.gitopssync.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a secret value comes from. Values are never written inline in the configuration file:
 * they are read at the moment of use from the environment, a file, a systemd credential or Vault.
 */
public sealed interface CredentialSource {

    /** Safe to print: says where, never what. */
    String describe();

    /** No credential. */
    record None() implements CredentialSource {
        @Override
        public String describe() {
            return "none";
        }
    }

    /** One or more environment variables; several are passed through as a set (cloud keys). */
    record Env(List<String> names) implements CredentialSource {
        public Env {
            names = List.copyOf(names);
        }

        @Override
        public String describe() {
            return "env " + String.join(", ", names);
        }
    }

    /** A file holding the value, or KEY=VALUE lines / a JSON object when several values are needed. */
    record File(Path path) implements CredentialSource {
        @Override
        public String describe() {
            return "file " + path;
        }
    }

    /** A systemd credential: {@code $CREDENTIALS_DIRECTORY/<name>} (LoadCredential=). */
    record SystemdCredential(String name) implements CredentialSource {
        @Override
        public String describe() {
            return "systemd-credential " + name;
        }
    }

    /** A field of a Vault KV secret, read with the agent's Vault login. */
    record Vault(String path, String field) implements CredentialSource {
        @Override
        public String describe() {
            return "vault " + path + "#" + field;
        }
    }

    static CredentialSource none() {
        return new None();
    }
}
