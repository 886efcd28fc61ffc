package org.gitopssync.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.gitopssync.config.toml.TomlTable;

/** Reads the TOML configuration file, applies {@code GITOPS_*} overrides, validates, and warns on typos. */
public final class SettingsLoader {

    /** The default location when neither {@code --config} nor {@code GITOPS_CONFIG} is given. */
    public static final Path DEFAULT_PATH = Path.of("/etc/gitops-sync/gitops.toml");

    private static final int MAX_CHARACTERS = 1024 * 1024;
    /** An entry's index in an array of tables ({@code forges[0]}). */
    private static final Pattern ARRAY_INDEX = Pattern.compile("\\[[0-9]+\\]");
    private static final Set<String> NON_SETTING_VARIABLES = Set.of("GITOPS_CONFIG", "GITOPS_JAVA_OPTS");

    private final Map<String, String> environment;

    public SettingsLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** {@code --config} wins, then {@code GITOPS_CONFIG}, then the default path. */
    public Path locate(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        String env = environment.get("GITOPS_CONFIG");
        return env != null && !env.isBlank() ? Path.of(env) : DEFAULT_PATH;
    }

    public LoadedSettings load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such configuration file (set --config or GITOPS_CONFIG)");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file, text);
    }

    LoadedSettings parse(Path file, String text) {
        TomlTable toml = TomlFiles.read(file.toString(), text, MAX_CHARACTERS, "a configuration file is small and shallow",
                ConfigException::new);
        List<ConfigSection> sections = new ArrayList<>();
        ConfigSection.ConfigSource source = new ConfigSection.ConfigSource() {
            @Override
            public String file() {
                return file.toString();
            }

            @Override
            public Map<String, String> environment() {
                return environment;
            }

            @Override
            public void register(ConfigSection section) {
                sections.add(section);
            }
        };
        ConfigSection root = new ConfigSection(source, toml, "", "GITOPS_");
        sections.add(root);
        RepositorySettings repository = RepositorySettings.from(root.section("repository"));
        List<ForgeSettings> forges = new ArrayList<>();
        for (ConfigSection f : root.sections("forges")) {
            ForgeSettings forge = ForgeSettings.from(f, repository.url());
            if (forges.stream().anyMatch(other -> other.type() == forge.type())) {
                // statuses, webhooks and pull requests are routed by forge type
                throw f.error("type", "a second " + ConfigSection.wordOf(forge.type())
                        + " forge; one repository is followed, so one entry per forge type");
            }
            forges.add(forge);
        }
        Settings settings = new Settings(
                file.toAbsolutePath(),
                root.string("hostname", MachineHostname.read()),
                root.path("state_dir", Path.of("/var/lib/gitops-sync")).toAbsolutePath(),
                repository,
                DeploySettings.from(root.section("deploy")),
                NixSettings.from(root.section("nix")),
                WebSettings.from(root.section("web")),
                CiSettings.from(root.section("ci")),
                CacheSettings.fromAll(root.sections("caches")),
                forges,
                SecuritySettings.from(root.section("security")),
                PullRequestSettings.from(root.section("pull_requests")),
                SecretsSettings.from(root.section("secrets")),
                VaultAccessSettings.from(root.section("vault")),
                HooksSettings.from(root.sections("hooks")),
                MetricsSettings.from(root.section("metrics")),
                FleetSettings.from(root.section("fleet")),
                LogSettings.from(root.section("log")),
                HistorySettings.from(root.section("history")));
        if (!settings.hostname().matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
            throw root.error("hostname", "\"" + settings.hostname() + "\" is not a valid host name");
        }
        if (settings.fleet().gated()) {
            if (settings.fleet().after().contains(settings.hostname())) {
                throw new ConfigException(file + ": fleet.after: lists this host (" + settings.hostname()
                        + ") itself; it would wait for its own deploy forever");
            }
            if (forges.isEmpty()) {
                throw new ConfigException(file + ": fleet.after: waves read the forge's deploy statuses, but no"
                        + " [[forges]] entry is configured");
            }
        }
        if (settings.vault().isEmpty()) {
            for (CredentialReferences.Reference ref : CredentialReferences.of(settings)) {
                if (ref.source() instanceof CredentialSource.Vault) {
                    throw new ConfigException(file + ": " + ref.key() + ": reads " + ref.source().describe()
                            + ", but there is no [vault] section (set vault.address and how the agent logs in)");
                }
            }
        }
        return new LoadedSettings(settings, warnings(file, sections), readKeys(sections));
    }

    /** What a key is called whatever entry of an array of tables it was read in. */
    private static Set<String> readKeys(List<ConfigSection> sections) {
        Set<String> out = new TreeSet<>();
        for (ConfigSection s : sections) {
            for (String key : s.knownKeys()) {
                out.add(ARRAY_INDEX.matcher(s.keyName(key)).replaceAll(".*"));
            }
        }
        return out;
    }

    private List<String> warnings(Path file, List<ConfigSection> sections) {
        List<String> out = new ArrayList<>();
        Set<String> knownEnv = new HashSet<>();
        for (ConfigSection s : sections) {
            for (String key : s.presentKeys()) {
                if (!s.knownKeys().contains(key)) {
                    String where = s.where(key);
                    String suggestion = Spelling.closest(key, s.knownKeys());
                    out.add(where + ": unknown key " + s.keyName(key)
                            + (suggestion == null ? "" : " (did you mean " + s.keyName(suggestion) + "?)"));
                }
            }
            if (s.envPrefix() != null) {
                for (String key : s.knownKeys()) {
                    knownEnv.add(s.envName(key));
                }
            }
        }
        for (String name : new TreeSet<>(environment.keySet())) {
            if (name.startsWith("GITOPS_") && !knownEnv.contains(name) && !NON_SETTING_VARIABLES.contains(name)) {
                String suggestion = Spelling.closest(name, knownEnv);
                out.add("environment " + name + ": not a setting"
                        + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
            }
        }
        return out;
    }
}
