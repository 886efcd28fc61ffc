package org.gitopssync.secrets.install;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.gitopssync.config.Spelling;
import org.gitopssync.config.TomlFiles;
import org.gitopssync.config.toml.TomlArray;
import org.gitopssync.config.toml.TomlPosition;
import org.gitopssync.config.toml.TomlTable;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.secrets.sops.SopsFormat;

/**
 * The repository's secrets manifest ({@code secrets/manifest.toml}): which secrets and templates this host
 * installs, from where, for whom. Parsed strictly: unknown keys, unsafe names and modes are errors naming
 * the manifest line.
 */
public final class SecretsManifest {

    private static final int MAX_CHARACTERS = 4 * 1024 * 1024;
    private static final Set<String> TOP_KEYS = Set.of("secrets", "templates", "default_sops_file");
    private static final Set<String> COMMON_KEYS = Set.of("name", "owner", "group", "mode", "path", "restart_units",
            "reload_units");
    private static final Set<String> SECRET_KEYS = union(COMMON_KEYS,
            Set.of("sops_file", "key", "format", "age_file", "vault", "field"));
    private static final Set<String> TEMPLATE_KEYS = union(COMMON_KEYS, Set.of("content", "file"));

    private final String path;
    private final List<ManifestEntry> entries;
    private final List<ManifestTemplate> templates;

    private SecretsManifest(String path, List<ManifestEntry> entries, List<ManifestTemplate> templates) {
        this.path = path;
        this.entries = List.copyOf(entries);
        this.templates = List.copyOf(templates);
    }

    /** Parses and validates; {@code path} is the manifest's path in the repository, for messages. */
    public static SecretsManifest parse(String path, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        TomlTable toml = TomlFiles.read(path, text, MAX_CHARACTERS,
                "a manifest lists secrets in tables; nothing in it nests this deep", SecretsException::new);
        Table top = new Table(path, toml, "the manifest", 1);
        top.rejectUnknown(TOP_KEYS);
        Optional<String> defaultSops = top.string("default_sops_file").map(f -> top.repoPath("default_sops_file", f));
        List<ManifestEntry> entries = new ArrayList<>();
        for (Table t : top.tables("secrets", "secret")) {
            entries.add(entry(t, defaultSops));
        }
        Set<String> names = new LinkedHashSet<>();
        entries.forEach(e -> names.add(e.name()));
        List<ManifestTemplate> templates = new ArrayList<>();
        for (Table t : top.tables("templates", "template")) {
            templates.add(template(t, names));
        }
        SecretsManifest manifest = new SecretsManifest(path, entries, templates);
        manifest.checkConflicts();
        return manifest;
    }

    public String path() {
        return path;
    }

    List<ManifestEntry> entries() {
        return entries;
    }

    List<ManifestTemplate> templates() {
        return templates;
    }

    /** Secrets first, then templates: the order files are written in. */
    List<ManifestItem> items() {
        List<ManifestItem> out = new ArrayList<>(entries);
        out.addAll(templates);
        return out;
    }

    /** {@code secrets/manifest.toml:12}, for messages about one item. */
    String where(ManifestItem item) {
        return path + ":" + item.line();
    }

    private static ManifestEntry entry(Table t, Optional<String> defaultSops) {
        t.rejectUnknown(SECRET_KEYS);
        String name = t.name();
        Optional<String> sops = t.string("sops_file").map(f -> t.repoPath("sops_file", f));
        Optional<String> age = t.string("age_file").map(f -> t.repoPath("age_file", f));
        Optional<String> vault = t.string("vault");
        int sources = (sops.isPresent() ? 1 : 0) + (age.isPresent() ? 1 : 0) + (vault.isPresent() ? 1 : 0);
        if (sources > 1) {
            throw t.error(null, "give exactly one of sops_file, age_file and vault");
        }
        if (sources == 0) {
            sops = defaultSops;
            if (sops.isEmpty()) {
                throw t.error(null, "no source: give sops_file (with an optional key), age_file or vault"
                        + " (or set default_sops_file at the top of the manifest)");
            }
        }
        SecretSource source;
        if (sops.isPresent()) {
            t.onlyWith("field", "vault");
            String sopsFile = sops.get();
            SopsFormat format = t.string("format").map(t::format).orElse(SopsFormat.forFileName(sopsFile));
            Optional<String> key = t.string("key").filter(k -> !k.isEmpty());
            if (key.isPresent() && format != SopsFormat.YAML && format != SopsFormat.JSON) {
                throw t.error("key", "a key only selects a value in yaml or json sops files; " + sopsFile + " is "
                        + format.name().toLowerCase(Locale.ROOT) + " and installs as a whole");
            }
            if (key.isPresent() && (key.get().startsWith("/") || key.get().endsWith("/") || key.get().contains("//"))) {
                throw t.error("key", "expected a key path such as \"db/password\", got \"" + key.get() + "\"");
            }
            source = key.<SecretSource>map(k -> new SecretSource.SopsValue(sopsFile, format, k))
                    .orElse(new SecretSource.SopsDocument(sopsFile, format));
        } else if (age.isPresent()) {
            t.onlyWith("key", "sops_file");
            t.onlyWith("format", "sops_file");
            t.onlyWith("field", "vault");
            source = new SecretSource.AgeFile(age.get());
        } else {
            t.onlyWith("key", "sops_file");
            t.onlyWith("format", "sops_file");
            String vaultPath = vault.get().replaceAll("^/+|/+$", "");
            if (!vaultPath.contains("/") || vaultPath.contains("//") || vaultPath.contains("#")) {
                throw t.error("vault", "expected \"mount/path\" such as \"secret/app/db\", got \"" + vault.get() + "\"");
            }
            String field = t.string("field").filter(f -> !f.isEmpty())
                    .orElseThrow(() -> t.error("vault", "a vault secret needs field = \"...\" (the KV field to install)"));
            source = new SecretSource.VaultField(vaultPath, field);
        }
        return new ManifestEntry(name, source, t.access(), t.linkPath(), t.units("restart_units"),
                t.units("reload_units"), t.line());
    }

    private static ManifestTemplate template(Table t, Set<String> secretNames) {
        t.rejectUnknown(TEMPLATE_KEYS);
        String name = t.name();
        Optional<String> content = t.string("content");
        Optional<String> file = t.string("file").map(f -> t.repoPath("file", f));
        if (content.isPresent() == file.isPresent()) {
            throw t.error(null, "give exactly one of content and file");
        }
        content.ifPresent(body -> TemplateRenderer.references(body, secretNames, t.what()));
        return new ManifestTemplate(name, content, file, t.access(), t.linkPath(), t.units("restart_units"),
                t.units("reload_units"), t.line());
    }

    private void checkConflicts() {
        Map<String, ManifestItem> byPath = new HashMap<>();
        Map<Path, ManifestItem> byLink = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (ManifestEntry e : entries) {
            if (!names.add(e.name())) {
                throw new SecretsException(where(e) + ": " + e.label() + " is declared twice");
            }
        }
        Set<String> templateNames = new HashSet<>();
        for (ManifestTemplate t : templates) {
            if (!templateNames.add(t.name())) {
                throw new SecretsException(where(t) + ": " + t.label() + " is declared twice");
            }
        }
        for (ManifestItem item : items()) {
            String rel = item.relativePath();
            for (Map.Entry<String, ManifestItem> other : byPath.entrySet()) {
                if (rel.startsWith(other.getKey() + "/") || other.getKey().startsWith(rel + "/")) {
                    throw new SecretsException(where(item) + ": " + item.label() + " (" + rel + ") and "
                            + other.getValue().label() + " (" + other.getKey() + ") cannot both exist: one would be"
                            + " a directory of the other");
                }
            }
            byPath.put(rel, item);
            if (item.path().isPresent()) {
                ManifestItem previous = byLink.put(item.path().get(), item);
                if (previous != null) {
                    throw new SecretsException(where(item) + ": " + item.label() + " and " + previous.label()
                            + " both want the link " + item.path().get());
                }
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }

    @Override
    public String toString() {
        return "SecretsManifest[" + path + ", " + entries.size() + " secrets, " + templates.size() + " templates]";
    }

    /** One TOML table of the manifest with typed, line-aware accessors. */
    private static final class Table {
        private final String file;
        private final TomlTable table;
        private final String kind;
        private final int line;
        private String name;

        Table(String file, TomlTable table, String kind, int line) {
            this.file = file;
            this.table = table;
            this.kind = kind;
            this.line = line;
            // for messages only; name() validates it
            this.name = table.get("name") instanceof String raw ? raw : null;
        }

        int line() {
            return line;
        }

        String what() {
            return name == null ? kind : kind + " \"" + name + "\"";
        }

        List<Table> tables(String key, String kind) {
            Object v = table.get(key);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof TomlArray array) || array.toList().stream().anyMatch(e -> !(e instanceof TomlTable))) {
                throw error(key, "expected [[" + key + "]] tables");
            }
            List<Table> out = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                out.add(new Table(file, (TomlTable) array.get(i), kind, array.positionOf(i).line()));
            }
            return out;
        }

        String name() {
            String raw = string("name").orElseThrow(() -> error(null, "name is required"));
            SecretName.problem(raw).ifPresent(problem -> {
                throw error("name", "\"" + raw + "\" is refused: " + problem);
            });
            return raw;
        }

        Optional<String> string(String key) {
            Object v = table.get(key);
            if (v == null) {
                return Optional.empty();
            }
            if (!(v instanceof String s)) {
                throw error(key, "expected a string");
            }
            return Optional.of(s);
        }

        String repoPath(String key, String value) {
            if (value.isEmpty() || value.startsWith("/") || List.of(value.split("/", -1)).stream()
                    .anyMatch(p -> p.isEmpty() || p.equals("..") || p.equals("."))) {
                throw error(key, "expected a relative path inside the repository, got \"" + value + "\"");
            }
            return value;
        }

        SopsFormat format(String word) {
            for (SopsFormat f : SopsFormat.values()) {
                if (f.name().toLowerCase(Locale.ROOT).equals(word)) {
                    return f;
                }
            }
            throw error("format", "expected one of yaml, json, dotenv, ini, binary, got \"" + word + "\"");
        }

        void onlyWith(String key, String companion) {
            if (table.contains(key)) {
                throw error(key, key + " only goes with " + companion);
            }
        }

        Access access() {
            String owner = string("owner").orElse("root");
            Optional<String> group = string("group");
            if (owner.isBlank() || group.filter(String::isBlank).isPresent()) {
                throw error(owner.isBlank() ? "owner" : "group", "must not be empty");
            }
            int mode = Access.DEFAULT_MODE;
            Object raw = table.get("mode");
            if (raw instanceof Long) {
                throw error("mode", "write the octal mode as a string, e.g. mode = \"0400\"");
            }
            if (raw != null) {
                try {
                    mode = Access.parseMode(string("mode").orElseThrow());
                } catch (IllegalArgumentException e) {
                    throw error("mode", e.getMessage());
                }
            }
            return new Access(owner, group, mode);
        }

        Optional<Path> linkPath() {
            Optional<String> raw = string("path");
            if (raw.isEmpty()) {
                return Optional.empty();
            }
            Path p = Path.of(raw.get());
            if (!p.isAbsolute() || !p.normalize().toString().equals(raw.get()) || p.getParent() == null) {
                throw error("path", "expected a normalized absolute path for the link, got \"" + raw.get() + "\"");
            }
            if (p.startsWith("/nix/store")) {
                throw error("path", "links cannot go into the Nix store");
            }
            return Optional.of(p);
        }

        List<String> units(String key) {
            Object v = table.get(key);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof TomlArray array)) {
                throw error(key, "expected a list of unit names");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                if (!(array.get(i) instanceof String unit) || !unit.matches("[A-Za-z0-9:_.@\\\\][A-Za-z0-9:_.@\\\\-]*")) {
                    throw error(key, "element " + (i + 1) + " is not a systemd unit name");
                }
                out.add(unit);
            }
            return out;
        }

        void rejectUnknown(Set<String> known) {
            for (String key : table.keySet()) {
                if (!known.contains(key)) {
                    String suggestion = Spelling.closest(key, known);
                    throw error(key, "unknown key" + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
                }
            }
        }

        SecretsException error(String key, String message) {
            TomlPosition pos = key == null ? null : table.positionOf(key);
            int at = pos == null ? line : pos.line();
            return new SecretsException(file + ":" + at + ": " + what() + ": " + (key == null ? "" : key + ": ") + message);
        }
    }
}
