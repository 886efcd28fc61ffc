package org.gitopssync.cli;

import java.nio.file.Path;
import org.gitopssync.config.LoadedSettings;
import org.gitopssync.config.SettingsLoader;
import picocli.CommandLine;

/** {@code --config}: which configuration file; falls back to GITOPS_CONFIG and the default path. */
final class ConfigOption {

    @CommandLine.Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $GITOPS_CONFIG, else /etc/gitops-sync/gitops.toml).")
    Path config;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    /** Loads the settings, switches the console to {@code [log] format} and prints any warnings to stderr. */
    LoadedSettings load() {
        LoadedSettings loaded = check();
        ConsoleLogFormat.apply(loaded.settings().log());
        return loaded;
    }

    /**
     * Loads the settings and prints any warnings (unknown keys, likely typos) to stderr, leaving the console's log
     * format alone: {@code config check} reads a file that need not be the one this host runs with.
     */
    LoadedSettings check() {
        SettingsLoader loader = new SettingsLoader(System.getenv());
        LoadedSettings loaded = loader.load(loader.locate(config));
        for (String w : loaded.warnings()) {
            spec.commandLine().getErr().println("gitops-sync: warning: " + w);
        }
        return loaded;
    }
}
