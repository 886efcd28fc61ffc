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
    private final RemoteBuilds remote;
    private volatile NixVersion version;

    public Nix(CommandRunner runner) {
        this(runner, Map.of());
    }

    /** {@code options} become {@code --option name value} on every nix call (e.g. substituters). */
    public Nix(CommandRunner runner, Map<String, String> options) {
        this(runner, options, RemoteBuilds.none());
    }

    /** As {@link #Nix(CommandRunner, Map)}, with builds sent to {@code remote}. */
    public Nix(CommandRunner runner, Map<String, String> options, RemoteBuilds remote) {
        this.runner = runner;
        this.options = Map.copyOf(options);
        this.remote = remote;
    }

    /** The configured options ({@code [nix.options]}), which every call carries. */
    public Map<String, String> options() {
        return options;
    }

    /** Where builds run; evaluation and store queries stay on this machine. */
    public RemoteBuilds remote() {
        return remote;
    }

    /**
     * The flags that send a realisation to the remote builders or store, appended to a command that
     * builds; nothing when everything builds here.
     */
    public List<String> buildFlags() {
        return remote.flags();
    }

    /**
     * A command that builds, or talks to the remote store, with the store's credentials in its
     * environment (read now, so a rotated credential is used by the next build).
     */
    public Command reachingRemote(Command command) {
        Map<String, String> env = remote.environment().get();
        return env.isEmpty() ? command : command.withEnvironment(env);
    }

    /**
     * The start of a {@code nix <subcommand>} argument list with the agent's common flags: flakes
     * enabled whatever nix.conf says, and the configured options.
     */
    public List<String> command(String... subcommand) {
        List<String> leading = new ArrayList<>(List.of(subcommand));
        leading.add("--extra-experimental-features");
        leading.add("nix-command flakes");
        return program("nix", leading.toArray(String[]::new));
    }

    /**
     * The start of an argument list for any Nix program ({@code nix-store}, {@code nix-eval-jobs}...):
     * the program, its leading arguments, then the configured options, so they apply to every call.
     */
    public List<String> program(String program, String... arguments) {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(List.of(arguments));
        options.forEach((k, v) -> {
            argv.add("--option");
            argv.add(k);
            argv.add(v);
        });
        return argv;
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
