package org.gitopssync.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.gitopssync.config.toml.TomlArray;
import org.gitopssync.config.toml.TomlTable;

/** Parses credential-source tables from TOML and their one-line form from environment overrides. */
final class CredentialSources {

    private CredentialSources() {
    }

    static CredentialSource fromTable(TomlTable t, Function<String, ConfigException> error) {
        if (t.size() != 1) {
            throw error.apply("a credential source has exactly one of env, file, systemd-credential, vault, none; got "
                    + t.keySet());
        }
        String kind = t.keySet().iterator().next();
        Object v = t.get(kind);
        if (v instanceof TomlArray a) {
            v = a.toList();
        }
        return of(kind, v, error);
    }

    /** {@code env:NAME}, {@code env:A,B}, {@code file:/path}, {@code systemd-credential:name}, {@code vault:p#f}, {@code none}. */
    static CredentialSource fromOverride(String text, Function<String, ConfigException> error) {
        String s = text.trim();
        if (s.equals("none")) {
            return CredentialSource.none();
        }
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw error.apply("expected env:NAME, file:/path, systemd-credential:name, vault:path#field or none");
        }
        String kind = s.substring(0, colon);
        String value = s.substring(colon + 1);
        if (kind.equals("env") && value.contains(",")) {
            List<Object> names = new ArrayList<>();
            for (String part : value.split(",")) {
                names.add(part.trim());
            }
            return of(kind, names, error);
        }
        return of(kind, value, error);
    }

    /** One source from its kind and value, as written in a table or an override; validates both. */
    private static CredentialSource of(String kind, Object v, Function<String, ConfigException> error) {
        switch (kind) {
            case "env":
                if (v instanceof String s) {
                    return new CredentialSource.Env(List.of(s));
                }
                if (v instanceof List<?> items) {
                    List<String> names = new ArrayList<>();
                    for (Object item : items) {
                        if (!(item instanceof String name) || name.isEmpty()) {
                            throw error.apply("env: expected variable names");
                        }
                        names.add(name);
                    }
                    if (names.isEmpty()) {
                        throw error.apply("env: expected at least one variable name");
                    }
                    return new CredentialSource.Env(names);
                }
                throw error.apply("env: expected a variable name or a list of them");
            case "file":
                if (v instanceof String s && Path.of(s).isAbsolute()) {
                    return new CredentialSource.File(Path.of(s));
                }
                throw error.apply("file: expected an absolute path");
            case "systemd-credential":
                if (v instanceof String s && !s.isEmpty() && !s.contains("/")) {
                    return new CredentialSource.SystemdCredential(s);
                }
                throw error.apply("systemd-credential: expected a credential name (no slashes)");
            case "vault":
                if (v instanceof String s && s.indexOf('#') > 0 && s.indexOf('#') < s.length() - 1) {
                    int hash = s.lastIndexOf('#');
                    return new CredentialSource.Vault(s.substring(0, hash), s.substring(hash + 1));
                }
                throw error.apply("vault: expected \"mount/path#field\"");
            case "none":
                return CredentialSource.none();
            default:
                throw error.apply("unknown credential source \"" + kind
                        + "\" (use env, file, systemd-credential, vault or none)");
        }
    }
}
