package org.gitopssync.nix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gitopssync.Cancellation;

/** The agent's one way to talk to Nix: version detection and the common flags of every nix call. */
public class Nix {

    private final CommandRunner runner;
    private final Map<String, String> options;
    private volatile NixVersion version;

    public Nix(CommandRunner runner) {
        this(runner, Map.of());
    }

    /** {@code options} become {@code --option name value} on every nix call (e.g. substituters). */
    public Nix(CommandRunner runner, Map<String, String> options) {
        this.runner = runner;
        this.options = Map.copyOf(options);
    }

    /**
     * The start of a {@code nix <subcommand>} argument list with the agent's common flags: flakes
     * enabled whatever nix.conf says, and the configured options.
     */
    public List<String> command(String... subcommand) {
        List<String> argv = new ArrayList<>();
        argv.add("nix");
        argv.addAll(List.of(subcommand));
        argv.add("--extra-experimental-features");
        argv.add("nix-command flakes");
        options.forEach((k, v) -> {
            argv.add("--option");
            argv.add(k);
            argv.add(v);
        });
        return argv;
    }

    /** The configured {@code --option} pairs, for the other nix programs (nix-store, nix-eval-jobs). */
    public Map<String, String> options() {
        return options;
    }

    public CommandRunner runner() {
        return runner;
    }

    /** The installed version, asked once per process. */
    public NixVersion version() {
        NixVersion v = version;
        if (v == null) {
            CommandResult r = runner.runChecked(Command.of("nix", "--version").capturingStdout()
                    .withTimeout(Duration.ofSeconds(30)), Cancellation.none());
            v = NixVersion.parse(r.stdout());
            version = v;
        }
        return v;
    }
}
