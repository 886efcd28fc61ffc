package org.gitopssync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gitopssync.app.Agent;
import org.gitopssync.config.LoadedSettings;
import org.gitopssync.config.SettingsLoader;

/**
 * A configuration file for an agent following a {@link DemoFlakeRepo} with the profile method. Secrets go to
 * {@code <base>/secrets}, opened with the demo key, and units are "restarted" by a {@link SystemctlDouble}.
 */
public final class AgentFixture {

    private final Path base;
    private final DemoFlakeRepo repo;
    private String extra = "";
    private String repositoryKeys = "";
    private String deployKeys = "";
    private String deployMethod = "profile";
    private String url;
    private String followed = "branch = \"main\"";
    private String hostname = "demo";
    private final Map<String, String> secretsKeys = new LinkedHashMap<>();
    private final SystemctlDouble systemctl;

    public AgentFixture(Path base, DemoFlakeRepo repo) {
        this.base = base;
        this.repo = repo;
        this.url = repo.url();
        this.systemctl = SystemctlDouble.install(base.resolve("bin"));
        secrets("root", quote(secretsRoot().toString()));
        secrets("age_key_files", "[" + quote(demoKey().toString()) + "]");
        secrets("ssh_key_paths", "[]");
        secrets("restart_command", "[" + quote(systemctl.path().toString()) + "]");
    }

    /** The demo-only age key that opens examples/demo-flake/secrets/demo.yaml. */
    public static Path demoKey() {
        return DemoFlakeRepo.projectRoot().resolve("secrets/DEMO-ONLY-age.key");
    }

    /** Sets a key of the [secrets] section to a TOML value (replacing the fixture's default). */
    public AgentFixture secrets(String key, String tomlValue) {
        secretsKeys.put(key, tomlValue);
        return this;
    }

    public Path secretsRoot() {
        return base.resolve("secrets");
    }

    public SystemctlDouble systemctl() {
        return systemctl;
    }

    /** A TOML basic string. */
    public static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The agent's {@code hostname} (default "demo", the demo flake's one system). */
    public AgentFixture hostname(String name) {
        this.hostname = name;
        return this;
    }

    public AgentFixture url(String url) {
        this.url = url;
        return this;
    }

    /** Follows {@code repository.ref = <ref>} instead of the default {@code branch = "main"}. */
    public AgentFixture ref(String ref) {
        this.followed = "ref = " + quote(ref);
        return this;
    }

    /** {@code deploy.method}: "profile" (default) or "nixos-rebuild". */
    public AgentFixture deployMethod(String method) {
        this.deployMethod = method;
        return this;
    }

    /** Extra lines inside the [repository] section. */
    public AgentFixture repositoryKeys(String lines) {
        this.repositoryKeys = this.repositoryKeys + lines + "\n";
        return this;
    }

    /** Extra lines inside the [deploy] section. */
    public AgentFixture deployKeys(String lines) {
        this.deployKeys = this.deployKeys + lines + "\n";
        return this;
    }

    /** Extra TOML appended to the file (whole sections). */
    public AgentFixture extra(String toml) {
        this.extra = this.extra + "\n" + toml;
        return this;
    }

    public Path stateDir() {
        return base.resolve("state");
    }

    public Path profile() {
        return base.resolve("profiles/system");
    }

    public String toml() {
        return """
                hostname = "%s"
                state_dir = "%s"

                [repository]
                url = "%s"
                %s
                %s
                [deploy]
                method = "%s"
                operation = "switch"
                profile = "%s"
                current_system = "%s"
                %s""".formatted(hostname, stateDir(), url, followed, repositoryKeys, deployMethod, profile(), repo.root().resolve("run/current-system"),
                deployKeys)
                + secretsSection() + extra;
    }

    private String secretsSection() {
        StringBuilder out = new StringBuilder("\n[secrets]\n");
        secretsKeys.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
        return out.toString();
    }

    public Path writeConfig() {
        try {
            Files.createDirectories(profile().getParent());
            Path file = base.resolve("gitops.toml");
            Files.writeString(file, toml());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public LoadedSettings load(Map<String, String> env) {
        return new SettingsLoader(env).load(writeConfig());
    }

    public Agent open(RecordingCommandRunner runner) {
        return Agent.open(load(Map.of()).settings(), Map.of(), runner, Clock.systemUTC());
    }
}
