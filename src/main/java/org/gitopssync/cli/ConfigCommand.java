package org.gitopssync.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gitopssync.config.DaemonRequirements;
import org.gitopssync.config.EffectiveSettings;
import org.gitopssync.config.LoadedSettings;
import picocli.CommandLine;

/** {@code config}: configuration tools. */
@CommandLine.Command(name = "config", mixinStandardHelpOptions = true, description = "Configuration tools.",
        subcommands = ConfigCommand.Check.class)
class ConfigCommand {

    /** {@code config check}: validate and print the effective settings, secrets as their sources. */
    @CommandLine.Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate the configuration and print the effective settings (credentials as their sources, never values).")
    static class Check implements Callable<Integer> {

        @CommandLine.Mixin
        ConfigOption config;

        @CommandLine.Option(names = "--json", description = "Print the effective settings and warnings as JSON.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            LoadedSettings loaded = config.check();
            // valid means the daemon starts too: it refuses what DaemonRequirements lists
            DaemonRequirements.check(loaded.settings());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("file", loaded.settings().file().toString());
                doc.put("valid", true);
                doc.put("warnings", loaded.warnings());
                doc.put("settings", EffectiveSettings.flatten(loaded.settings()));
                Json.print(out, doc);
            } else {
                out.println("# " + loaded.settings().file() + ": valid"
                        + (loaded.warnings().isEmpty() ? "" : " with " + loaded.warnings().size() + " warning(s)"));
                EffectiveSettings.lines(loaded.settings()).forEach(out::println);
            }
            return ExitCodes.OK;
        }
    }
}
