package org.gitopssync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.gitopssync.config.LoadedSettings;
import org.gitopssync.config.SettingsLoader;
import org.gitopssync.reconcile.Agent;

/** A configuration file for an agent following a {@link DemoFlakeRepo} with the profile method. */
public final class AgentFixture {

    private final Path base;
    private final DemoFlakeRepo repo;
    private String extra = "";
    private String repositoryKeys = "";
    private String deployMethod = "profile";
    private String url;

    public AgentFixture(Path base, DemoFlakeRepo repo) {
        this.base = base;
        this.repo = repo;
        this.url = repo.url();
    }

    public AgentFixture url(String url) {
        this.url = url;
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
                hostname = "demo"
                state_dir = "%s"

                [repository]
                url = "%s"
                branch = "main"
                %s
                [deploy]
                method = "%s"
                operation = "switch"
                profile = "%s"
                current_system = "%s"
                """.formatted(stateDir(), url, repositoryKeys, deployMethod, profile(), repo.root().resolve("run/current-system")) + extra;
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
