package org.gitopssync.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The parts every command's model shares. The models are built in code with picocli's programmatic API rather than
 * declared with its annotations: reading annotations costs a one-shot start tens of milliseconds (reflection over
 * every field, a proxy class per annotation type, generic signatures parsed), and {@code sync --once} is most of
 * what a host runs.
 *
 * <p>A command holds its model in a field, built with the command itself as what the model runs, and reads its
 * arguments from the model when called; its static {@code spec()} gives the parent command a fresh one.
 */
final class CommandModel {

    private CommandModel() {
    }

    /**
     * A command that runs {@code command} (null for one that only groups subcommands), described by
     * {@code description}, with {@code -h/--help} and {@code -V/--version}.
     */
    static CommandSpec command(Object command, String... description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        spec.usageMessage().description(description);
        // what @Command(mixinStandardHelpOptions = true) adds: picocli would read them from its own annotated class
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        return spec;
    }

    /** An option without a value: false unless given (a model built in code would leave it null). */
    static OptionSpec.Builder flag(String... names) {
        return OptionSpec.builder(names).type(boolean.class).initialValue(false);
    }
}
