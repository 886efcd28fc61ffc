package org.gitopssync.cli;

import java.nio.file.Path;
import org.gitopssync.config.LoadedSettings;
import org.gitopssync.config.SettingsLoader;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --config}: which configuration file; falls back to GITOPS_CONFIG and the default path. */
final class ConfigOption {

    private final CommandSpec command;

    /** The option of {@code command}, whose model has {@link #spec()}. */
    ConfigOption(CommandSpec command) {
        this.command = command;
    }

    static OptionSpec spec() {
        return OptionSpec.builder("-c", "--config").paramLabel("FILE").type(Path.class)
                .description("Configuration file (default: $GITOPS_CONFIG, else /etc/gitops-sync/gitops.toml).").build();
    }

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
        Path config = command.findOption("--config").getValue();
        SettingsLoader loader = new SettingsLoader(System.getenv());
        LoadedSettings loaded = loader.load(loader.locate(config));
        for (String w : loaded.warnings()) {
            command.commandLine().getErr().println("gitops-sync: warning: " + w);
        }
        return loaded;
    }
}
