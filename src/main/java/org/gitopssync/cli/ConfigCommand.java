package org.gitopssync.cli;

import static org.gitopssync.cli.CommandModel.flag;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gitopssync.config.DaemonRequirements;
import org.gitopssync.config.EffectiveSettings;
import org.gitopssync.config.LoadedSettings;
import picocli.CommandLine.Model.CommandSpec;

/** {@code config}: configuration tools. */
final class ConfigCommand {

    private ConfigCommand() {
    }

    static CommandSpec spec() {
        return CommandModel.command(null, "Configuration tools.").addSubcommand("check", Check.spec());
    }

    /** {@code config check}: validate and print the effective settings, secrets as their sources. */
    static final class Check implements Callable<Integer> {

        private final CommandSpec spec = CommandModel.command(this, "Validate the configuration and print the"
                        + " effective settings (credentials as their sources, never values).")
                .addOption(ConfigOption.spec())
                .addOption(flag("--json").description("Print the effective settings and warnings as JSON.").build());

        static CommandSpec spec() {
            return new Check().spec;
        }

        @Override
        public Integer call() {
            boolean json = spec.findOption("--json").getValue();
            LoadedSettings loaded = new ConfigOption(spec).check();
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
