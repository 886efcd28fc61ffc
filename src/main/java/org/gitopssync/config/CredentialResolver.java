package org.gitopssync.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Turns a {@link CredentialSource} into values at the moment they are needed. */
public final class CredentialResolver {

    /** Reads a field of a Vault KV secret; supplied by the secrets stage when Vault is configured. */
    @FunctionalInterface
    public interface VaultKvReader {
        Credential read(String path, String field);
    }

    private final Map<String, String> environment;
    private final VaultKvReader vault;

    public CredentialResolver(Map<String, String> environment, VaultKvReader vault) {
        this.environment = Map.copyOf(environment);
        this.vault = vault;
    }

    public static CredentialResolver fromProcess() {
        return new CredentialResolver(System.getenv(), (p, f) -> {
            throw new ConfigException("credential vault " + p + "#" + f + ": no [vault] section is configured");
        });
    }

    public CredentialResolver withVault(VaultKvReader reader) {
        return new CredentialResolver(environment, reader);
    }

    /** One value, or empty for {@code none}. Fails with the source named when the value is missing. */
    public Optional<Credential> value(String key, CredentialSource source) {
        if (source instanceof CredentialSource.None) {
            return Optional.empty();
        }
        if (source instanceof CredentialSource.Env env) {
            if (env.names().size() != 1) {
                throw new ConfigException(key + ": expected one environment variable, got " + env.names());
            }
            String name = env.names().get(0);
            String v = environment.get(name);
            if (v == null || v.isEmpty()) {
                throw new ConfigException(key + ": environment variable " + name + " is not set");
            }
            return Optional.of(Credential.of(v, "env " + name));
        }
        if (source instanceof CredentialSource.File file) {
            return Optional.of(readFile(key, file.path(), "file " + file.path()));
        }
        if (source instanceof CredentialSource.SystemdCredential sc) {
            return Optional.of(readFile(key, systemdCredentialPath(key, sc), "systemd-credential " + sc.name()));
        }
        CredentialSource.Vault v = (CredentialSource.Vault) source;
        return Optional.of(vault.read(v.path(), v.field()));
    }

    /**
     * A set of named values, as handed to a child process's environment: the listed variables for
     * {@code env}, KEY=VALUE lines or a JSON object for files.
     */
    public Map<String, Credential> environment(String key, CredentialSource source) {
        Map<String, Credential> out = new LinkedHashMap<>();
        if (source instanceof CredentialSource.None) {
            return out;
        }
        if (source instanceof CredentialSource.Env env) {
            for (String name : env.names()) {
                String v = environment.get(name);
                if (v == null) {
                    throw new ConfigException(key + ": environment variable " + name + " is not set");
                }
                out.put(name, Credential.of(v, "env " + name));
            }
            return out;
        }
        Path path;
        String origin;
        if (source instanceof CredentialSource.File file) {
            path = file.path();
            origin = "file " + path;
        } else if (source instanceof CredentialSource.SystemdCredential sc) {
            path = systemdCredentialPath(key, sc);
            origin = "systemd-credential " + sc.name();
        } else {
            CredentialSource.Vault v = (CredentialSource.Vault) source;
            out.put(v.field(), vault.read(v.path(), v.field()));
            return out;
        }
        String text = readFile(key, path, origin).reveal();
        if (text.stripLeading().startsWith("{")) {
            try {
                JsonNode node = new ObjectMapper().readTree(text);
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    out.put(e.getKey(), Credential.of(e.getValue().asText(), origin + " " + e.getKey()));
                }
                return out;
            } catch (IOException e) {
                throw new ConfigException(key + ": " + origin + " is not valid JSON");
            }
        }
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(key + ": " + origin + " line " + lineNo + ": expected KEY=VALUE");
            }
            String name = l.substring(0, eq).strip();
            if (name.startsWith("export ")) {
                name = name.substring(7).strip();
            }
            String value = unquote(l.substring(eq + 1).strip());
            out.put(name, Credential.of(value, origin + " " + name));
        }
        return out;
    }

    /** The file behind a file or systemd-credential source (for tools that want a path, like ssh keys). */
    public Optional<Path> path(String key, CredentialSource source) {
        if (source instanceof CredentialSource.File f) {
            return Optional.of(f.path());
        }
        if (source instanceof CredentialSource.SystemdCredential sc) {
            return Optional.of(systemdCredentialPath(key, sc));
        }
        if (source instanceof CredentialSource.None) {
            return Optional.empty();
        }
        throw new ConfigException(key + ": must be a file or systemd-credential source, not " + source.describe());
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private Path systemdCredentialPath(String key, CredentialSource.SystemdCredential sc) {
        String dir = environment.get("CREDENTIALS_DIRECTORY");
        if (dir == null || dir.isEmpty()) {
            throw new ConfigException(key + ": systemd credential " + sc.name()
                    + " requested but $CREDENTIALS_DIRECTORY is not set (add LoadCredential= to the unit)");
        }
        return Path.of(dir, sc.name());
    }

    private static Credential readFile(String key, Path path, String origin) {
        try {
            return new Credential(Files.readAllBytes(path), origin);
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read " + origin + ": "
                    + (Files.exists(path) ? "permission denied or unreadable" : "no such file"));
        }
    }
}
